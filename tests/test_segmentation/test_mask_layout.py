"""One mask layout and one decoder: every reader of a mask file finds the same file and gets the
same array, whichever accepted form the file has."""
import json
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from fvgpt.datasets import CoOpSplitDataset
from fvgpt.datasets.file_check import mask_problem
from fvgpt.datasets.transforms import LoadForegroundMask
from fvgpt.segmentation import mask_job, read_binary_mask
from fvgpt.segmentation.prepare import read_reference

H, W = 12, 16


def foreground() -> np.ndarray:
    fg = np.zeros((H, W), bool)
    fg[2:9, 3:11] = True
    fg[9:11, 12:15] = True
    return fg


def save_form(path: str, form: str, fg: np.ndarray) -> None:
    """Writes ``fg`` in one of the accepted mask forms (docs/conventions.md, "Mask layout")."""
    u8 = fg.astype(np.uint8)
    if form == 'png_0_255':  # what tools/prepare_foreground.py writes
        Image.fromarray(u8 * 255).save(path)
    elif form == 'png_0_1':  # a label map
        Image.fromarray(u8).save(path)
    elif form == 'png_palette':  # mmseg's label-map PNGs
        im = Image.fromarray(u8).convert('P')
        im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
        im.save(path)
    elif form == 'png_16bit':
        Image.fromarray(u8.astype(np.uint16) * 65535).save(path)
    elif form == 'png_rgb':
        Image.fromarray(np.repeat(u8[..., None] * 255, 3, axis=2)).save(path)
    elif form == 'jpg_rgb':  # the authors' bundle: white foreground, JPEG, image's own name
        Image.fromarray(np.repeat(u8[..., None] * 255, 3, axis=2)).save(path, quality=100)
    else:
        raise AssertionError(form)


def make_tree(root, mask_file: str, form: str):
    """A one-image CoOp-layout dataset ``ds/images/cat/a.jpg`` with its mask at ``mask_file``
    (relative to the dataset folder)."""
    ds = root / 'ds'
    (ds / 'images' / 'cat').mkdir(parents=True)
    Image.fromarray(np.full((H, W, 3), 90, np.uint8)).save(ds / 'images' / 'cat' / 'a.jpg')
    split = {key: [['cat/a.jpg', 0, 'cat']] for key in ('train', 'val', 'test')}
    (ds / 'split.json').write_text(json.dumps(split))
    path = ds / mask_file
    path.parent.mkdir(parents=True, exist_ok=True)
    save_form(str(path), form, foreground())
    return str(path)


FORMS = ['png_0_255', 'png_0_1', 'png_palette', 'png_16bit', 'png_rgb', 'jpg_rgb']
# (file, relative to the dataset folder): form 1 (mirrors the dataset folder) under the image's
# own name and as .png; form 2 (mirrors the image folder).
# A PNG form goes under a .png name, the JPEG form under the image's own (.jpg) name.
PLACES = ['mask/images/cat/a.jpg', 'mask/images/cat/a.png', 'mask/cat/a.png']
CASES = [(place, form) for place in PLACES for form in FORMS
         if place.endswith('.png') == form.startswith('png')]


def build_dataset(tmp_path):
    """The dataset of :func:`make_tree`'s tree, with masks."""
    return CoOpSplitDataset(
        data_root=str(tmp_path),
        dataset_dir='ds',
        split_file='split.json',
        split='test',
        with_mask=True,
        templates=['a photo of a {}.'],
        dataset_name='one')


@pytest.mark.parametrize('place,form', CASES)
def test_every_reader_gets_the_same_mask(tmp_path, place, form):
    written = make_tree(tmp_path, place, form)
    expected = foreground().astype(np.uint8)
    ds = build_dataset(tmp_path)
    img_path = ds.get_data_info(0)['img_path']

    # 1. the dataset finds the file, and LoadForegroundMask decodes it for training
    assert ds.find_mask(img_path) == written
    info = ds.get_data_info(0)
    results = LoadForegroundMask().transform(
        dict(
            img=np.zeros((H, W, 3), np.uint8),
            mask_path=info['mask_path'],
            img_path=img_path,
            mask_on_missing=info['mask_on_missing']))
    assert results['fg_mask_valid'] is True
    np.testing.assert_array_equal(results['gt_fg_mask'], expected)

    # 2. the mask writer's --compare-to finds and reads the same file the same way
    job = mask_job(ds.mask_layout, img_path, 'cat')
    np.testing.assert_array_equal(read_reference(ds.mask_root, job), expected)
    np.testing.assert_array_equal(read_binary_mask(written), expected)

    # 3. the data checks judge the decoded array usable (neither missing, empty, nor full)
    assert mask_problem(info['mask_path'], img_path) is None


def test_writer_path_is_what_the_dataset_finds_first(tmp_path):
    """tools/prepare_foreground.py writes form 1 as .png; the dataset finds exactly that file."""
    make_tree(tmp_path, 'mask/cat/a.png', 'png_0_255')  # a form-2 mask the writer must not use
    ds = build_dataset(tmp_path)
    img_path = ds.get_data_info(0)['img_path']
    layout = ds.mask_layout
    assert layout.write_path(img_path) == osp.join(
        str(tmp_path), 'ds', 'mask', 'images', 'cat', 'a.png')
    # the written form-1 file is tried before the form-2 file
    candidates = layout.candidates(img_path)
    assert candidates.index(layout.write_path(img_path)) < candidates.index(
        osp.join(str(tmp_path), 'ds', 'mask', 'cat', 'a.png'))
