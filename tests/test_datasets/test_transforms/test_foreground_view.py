"""The ForegroundView transform and FVGPTDataPreprocessor: the views FVG-PT's teacher sees."""
import numpy as np
import pytest
import torch

from fvgpt.datasets.transforms.foreground_view import ForegroundView
from fvgpt.models.classifiers import CLIP_MEAN, CLIP_STD
from fvgpt.models.data_preprocessors import FVGPTDataPreprocessor


def sample(size=20):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
    mask = np.zeros((size, size), np.uint8)
    mask[5:10, 4:14] = 1
    return dict(img=img, gt_fg_mask=mask)


def test_masked_fills_background_with_the_mean():
    results = ForegroundView('masked', mean=CLIP_MEAN, to_rgb=True)(sample())
    img, fg, mask = results['img'], results['img_fg'], results['gt_fg_mask'].astype(bool)
    assert fg.dtype == np.uint8 and fg.shape == img.shape
    assert (fg[mask] == img[mask]).all()
    assert (fg[~mask] == np.round(CLIP_MEAN[::-1]).astype(np.uint8)).all()  # BGR
    # ... which the data preprocessor normalizes to (about) 0
    pre = FVGPTDataPreprocessor(mean=CLIP_MEAN, std=CLIP_STD, to_rgb=True)
    normed = pre._images([fg])[0]
    assert normed[:, ~torch.from_numpy(mask)].abs().max() < 0.01


def test_crop_resizes_the_mask_box():
    data = sample()
    fv = ForegroundView('crop', interpolation='nearest')
    assert fv.box(data['gt_fg_mask'].astype(bool)) == (4, 5, 14, 10)
    fg = fv(data)['img_fg']
    assert fg.shape == data['img'].shape
    # nearest resize of the 5x10 box to 20x20: rows repeat 4 times, columns twice
    assert (fg[::4, ::2] == data['img'][5:10, 4:14]).all()
    grown = ForegroundView.box(data['gt_fg_mask'].astype(bool), margin=0.2)
    assert grown == (2, 4, 16, 11)
    empty = dict(img=data['img'], gt_fg_mask=np.zeros((20, 20), np.uint8))
    assert (fv(empty)['img_fg'] == data['img']).all()


def test_blur_keeps_the_foreground():
    data = sample()
    fg = ForegroundView('blur', blur_sigma_ratio=0.1)(data)['img_fg']
    mask = data['gt_fg_mask'].astype(bool)
    assert (fg[mask] == data['img'][mask]).all()
    assert fg[~mask].astype(float).std() < data['img'][~mask].astype(float).std() / 2


def test_errors():
    with pytest.raises(ValueError, match='mode'):
        ForegroundView('cutout')
    with pytest.raises(KeyError, match='LoadForegroundMask'):
        ForegroundView()(dict(img=np.zeros((4, 4, 3), np.uint8)))
    with pytest.raises(ValueError, match='aligned'):
        ForegroundView()(
            dict(img=np.zeros((4, 4, 3), np.uint8), gt_fg_mask=np.zeros((5, 4), np.uint8)))
