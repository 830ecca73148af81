import mmcv
import numpy as np
import pytest
from mmengine.dataset import Compose

from fvgpt.segmentation.testing import color_image, color_segmenter_config


def test_transform_adds_an_aligned_mask_before_paired_augmentation(tmp_path, color_ckpt):
    img, labels = color_image()
    path = str(tmp_path / 'img.png')
    mmcv.imwrite(img, path)
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(
            type='MMSegForeground',
            config=color_segmenter_config(),
            checkpoint=color_ckpt,
            foreground=['cat'],
            cache_dir=str(tmp_path / 'cache')),
        dict(type='PairedRandomFlip', prob=1.0, direction='horizontal'),
    ])
    out = pipeline(dict(img_path=path))
    assert out['fg_mask_valid'] is True
    assert out['gt_fg_mask'].dtype == np.uint8
    np.testing.assert_array_equal(out['gt_fg_mask'], (labels == 1)[:, ::-1])
    np.testing.assert_array_equal(out['img'], img[:, ::-1])


def test_transform_refuses_a_resized_image(tmp_path, color_ckpt):
    img, _ = color_image()
    path = str(tmp_path / 'img.png')
    mmcv.imwrite(img, path)
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='mmpretrain.Resize', scale=8),
        dict(
            type='MMSegForeground',
            config=color_segmenter_config(),
            checkpoint=color_ckpt,
            foreground=['cat'],
            cache_dir=None),
    ])
    with pytest.raises(RuntimeError, match='right after LoadImageFromFile'):
        pipeline(dict(img_path=path))
