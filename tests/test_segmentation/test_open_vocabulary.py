"""mmseg's SAN (open-vocabulary) runs in the pinned mmseg: each image is queried with its class
name against "background". Weights are random here (no real checkpoint offline), so only the
mechanics are checked."""
import mmcv
import numpy as np
import pytest
from mmengine.dataset import Compose

from fvgpt.segmentation import Segmenter
from fvgpt.segmentation.testing import tiny_san_config


@pytest.fixture(scope='module')
def san_ckpt(tmp_path_factory):
    import torch
    seg = Segmenter(tiny_san_config())
    torch.manual_seed(0)
    path = str(tmp_path_factory.mktemp('san') / 'san.pth')
    torch.save({'state_dict': seg.model.state_dict()}, path)
    return path


def test_san_queries_each_image_with_its_class_name(san_ckpt):
    seg = Segmenter(tiny_san_config(), san_ckpt)
    assert seg.open_vocabulary and seg.class_names == ('<query>', 'background')
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 255, (40, 56, 3), dtype=np.uint8) for _ in range(3)]
    labels = seg.predict_labels(images, ['cat', 'dog', 'cat'])
    assert [lab.shape for lab in labels] == [(40, 56)] * 3
    assert all(set(np.unique(lab)) <= {0, 1} for lab in labels)
    assert seg.model.text_encoder.vocabulary == ['dog', 'background']  # the last group's query
    assert {'cat', 'dog', 'background'} <= set(seg.model.text_encoder.cache)
    masks = seg.segment(images[:1], queries=['cat'])
    np.testing.assert_array_equal(masks[0], labels[0] == 0)
    with pytest.raises(ValueError, match='one class name per image'):
        seg.predict_labels(images)
    with pytest.raises(ValueError, match='leave `foreground` unset'):
        Segmenter(tiny_san_config(), san_ckpt, foreground='voc_objects')


def test_san_transform_caches_per_class_name(tmp_path, san_ckpt):
    path = str(tmp_path / 'img.png')
    mmcv.imwrite(np.full((32, 32, 3), 128, np.uint8), path)
    transform = dict(
        type='MMSegForeground',
        config=tiny_san_config(),
        checkpoint=san_ckpt,
        classes=['cat', 'dog'],
        cache_dir=str(tmp_path / 'cache'))
    pipeline = Compose([dict(type='LoadImageFromFile'), transform])
    out = pipeline(dict(img_path=path, gt_label=1))
    assert out['gt_fg_mask'].shape == (32, 32) and out['fg_mask_valid']
    pipeline(dict(img_path=path, gt_label=0))
    cached = list((tmp_path / 'cache').rglob('*.png'))
    assert len(cached) == 2  # one label map per (image, query)
    with pytest.raises(KeyError, match='class name'):
        Compose([dict(type='LoadImageFromFile'),
                 dict(transform, classes=None)])(
                     dict(img_path=path, gt_label=0))
