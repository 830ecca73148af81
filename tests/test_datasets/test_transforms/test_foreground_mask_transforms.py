"""Mask loading and the paired geometric transforms: the mask stays aligned with the image."""
import io
import os.path as osp

import mmcv
import numpy as np
import pytest
from mmcv.transforms import CenterCrop, LoadImageFromFile, RandomFlip
from mmpretrain.datasets.transforms import ColorJitter, RandomResizedCrop, ResizeEdge
from PIL import Image

from fvgpt.datasets.transforms import (LoadForegroundMask, PairedCenterCrop, PairedRandomFlip,
                                       PairedRandomResizedCrop, PairedResize, PairedResizeEdge)
from fvgpt.segmentation.mask_io import decode_mask


def png_bytes(arr, mode=None, palette=False):
    im = Image.fromarray(arr, mode) if mode else Image.fromarray(arr)
    if palette:
        im = im.convert('P')
        im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    buf = io.BytesIO()
    im.save(buf, format='PNG')
    return buf.getvalue()


def jpeg_bytes(arr):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format='JPEG', quality=90)
    return buf.getvalue()


def test_decode_mask_formats():
    fg = np.zeros((16, 20), bool)
    fg[4:12, 3:9] = True
    white = np.where(fg[..., None], 255, 0).astype(np.uint8).repeat(3, axis=2)
    assert (decode_mask(jpeg_bytes(white)) == fg).mean() > 0.98  # authors' RGB JPEG
    assert np.array_equal(decode_mask(png_bytes(fg.astype(np.uint8) * 255)), fg)
    assert np.array_equal(decode_mask(png_bytes(fg.astype(np.uint8))), fg)  # {0, 1}
    pal = np.asarray(Image.fromarray(fg.astype(np.uint8)).convert('P'))
    assert np.array_equal(decode_mask(png_bytes(pal, palette=True)), fg)
    gray = np.full((4, 4), 127, np.uint8)
    assert not decode_mask(png_bytes(gray)).any()  # 127 / 255 < 0.5
    assert decode_mask(png_bytes(gray + 1)).all()


def write_pair(tmp_path, mask_scale=2, mask_ext='.jpg'):
    """An asymmetric image of bright blocks on a dark ground, and its mask drawn from the image's
    bright region, stored at another resolution as the authors' bundle does."""
    img = np.full((60, 80, 3), 30, np.uint8)
    img[5:35, 8:30] = (230, 220, 210)
    img[40:56, 50:76] = (200, 240, 220)
    img[20:28, 60:66] = (240, 240, 240)
    img_path = str(tmp_path / 'img.png')
    mmcv.imwrite(img, img_path)
    fg = (img.mean(-1) > 128).astype(np.uint8) * 255
    big = fg.repeat(mask_scale, 0).repeat(mask_scale, 1)
    mask_path = str(tmp_path / f'mask{mask_ext}')
    if mask_ext == '.jpg':
        Image.fromarray(np.stack([big] * 3, -1)).save(mask_path, quality=95)
    else:
        Image.fromarray(big).save(mask_path)
    return img_path, mask_path, fg > 0


def load(img_path, mask_path, **kwargs):
    results = LoadImageFromFile()(dict(img_path=img_path, mask_path=mask_path))
    return LoadForegroundMask(**kwargs)(results)


def test_load_resizes_to_image_and_binarizes(tmp_path):
    img_path, mask_path, fg = write_pair(tmp_path)
    out = load(img_path, mask_path)
    assert out['gt_fg_mask'].dtype == np.uint8 and out['gt_fg_mask'].shape == (60, 80)
    assert set(np.unique(out['gt_fg_mask'])) <= {0, 1}
    assert out['fg_mask_valid'] is True
    assert np.array_equal(out['gt_fg_mask'] > 0, fg)


def test_load_png_sibling_missing_and_invalid(tmp_path):
    img_path, png_path, fg = write_pair(tmp_path, mask_ext='.png')
    out = load(img_path, png_path[:-4] + '.jpg')  # the .png of the same stem is used
    assert np.array_equal(out['gt_fg_mask'] > 0, fg)
    missing = str(tmp_path / 'nowhere' / 'img.jpg')
    with pytest.raises(FileNotFoundError, match=osp.join('nowhere', 'img.jpg')):
        load(img_path, missing)
    results = LoadImageFromFile()(
        dict(img_path=img_path, mask_path=missing, mask_on_missing='invalid'))
    out = LoadForegroundMask()(results)
    assert out['fg_mask_valid'] is False and not out['gt_fg_mask'].any()
    assert out['gt_fg_mask'].shape == (60, 80)
    with pytest.raises(FileNotFoundError):  # the transform's own setting wins
        LoadForegroundMask(on_missing='error')(dict(results))


def test_load_refuses_transformed_image(tmp_path):
    img_path, mask_path, _ = write_pair(tmp_path)
    results = LoadImageFromFile()(dict(img_path=img_path, mask_path=mask_path))
    results = ResizeEdge(scale=30)(results)
    with pytest.raises(RuntimeError, match='right after LoadImageFromFile'):
        LoadForegroundMask()(results)
    with pytest.raises(KeyError, match='with_mask=True'):
        LoadForegroundMask()(LoadImageFromFile()(dict(img_path=img_path)))


def disagreement(out, flip_mask=False):
    bright = out['img'].mean(-1) > 128
    mask = out['gt_fg_mask'] > 0
    if flip_mask:
        mask = mask[:, ::-1]
    assert bright.shape == mask.shape
    return float((bright != mask).mean())


def test_mask_stays_aligned_under_random_crops_and_flips(tmp_path):
    img_path, mask_path, _ = write_pair(tmp_path)
    crop = PairedRandomResizedCrop(scale=48, crop_ratio_range=(0.08, 1.0), interpolation='bicubic')
    flip = PairedRandomFlip(prob=0.5, direction=['horizontal', 'vertical'])
    jitter = ColorJitter(brightness=0.2)  # photometric: image only
    aligned, control, flipped = [], [], 0
    for seed in range(40):
        np.random.seed(seed)
        out = jitter(flip(crop(load(img_path, mask_path))))
        assert out['gt_fg_mask'].shape == (48, 48) and out['gt_fg_mask'].dtype == np.uint8
        assert out['gt_fg_mask'].flags.c_contiguous
        flipped += bool(out['flip'])
        aligned.append(disagreement(out))
        control.append(disagreement(out, flip_mask=True))
    assert 5 < flipped < 35
    assert max(aligned) < 0.03 and np.mean(aligned) < 0.006  # nearest vs bicubic edges only
    assert np.mean(control) > 0.1  # a misaligned mask would be caught


def test_mask_stays_aligned_under_test_resize_and_center_crop(tmp_path):
    img_path, mask_path, _ = write_pair(tmp_path)
    out = PairedCenterCrop(crop_size=40)(
        PairedResizeEdge(scale=44, interpolation='bicubic')(load(img_path, mask_path)))
    assert out['img'].shape[:2] == out['gt_fg_mask'].shape == (40, 40)
    assert disagreement(out) < 0.01
    out = PairedResize(scale=(32, 24), interpolation='bicubic')(load(img_path, mask_path))
    assert out['img'].shape[:2] == out['gt_fg_mask'].shape == (24, 32)
    assert disagreement(out) < 0.01
    with pytest.raises(ValueError, match='auto_pad'):
        PairedCenterCrop(crop_size=40, auto_pad=True)


def test_without_mask_paired_transforms_equal_their_parents(tmp_path):
    img_path, _, _ = write_pair(tmp_path)
    pairs = [(PairedRandomResizedCrop(scale=32, interpolation='bicubic'),
              RandomResizedCrop(scale=32, interpolation='bicubic')),
             (PairedRandomFlip(prob=0.5), RandomFlip(prob=0.5)),
             (PairedResizeEdge(scale=30, interpolation='bicubic'),
              ResizeEdge(scale=30, interpolation='bicubic')),
             (PairedCenterCrop(crop_size=20), CenterCrop(crop_size=20))]
    for ours, theirs in pairs:
        for seed in range(3):
            np.random.seed(seed)
            a = ours(LoadImageFromFile()(dict(img_path=img_path)))
            np.random.seed(seed)
            b = theirs(LoadImageFromFile()(dict(img_path=img_path)))
            assert np.array_equal(a['img'], b['img']) and 'gt_fg_mask' not in a
