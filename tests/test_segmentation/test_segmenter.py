import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope

from fvgpt.segmentation import Segmenter
from fvgpt.segmentation.testing import COLOR_CLASSES, color_image, color_segmenter_config


def test_known_output_through_the_class_mapping(color_ckpt):
    img, labels = color_image()
    seg = Segmenter(color_segmenter_config(), color_ckpt, foreground=['cat'])
    assert seg.class_names == COLOR_CLASSES  # from the checkpoint's meta
    np.testing.assert_array_equal(seg.predict_labels([img])[0], labels)
    mask = seg.segment([img])[0]
    assert mask.dtype == np.uint8 and mask.shape == labels.shape
    np.testing.assert_array_equal(mask, labels == 1)
    both = Segmenter(color_segmenter_config(), color_ckpt, foreground=[1, 'dog'])
    np.testing.assert_array_equal(both.segment([img])[0], labels > 0)


def test_batches_of_mixed_sizes_keep_their_order(color_ckpt):
    seg = Segmenter(color_segmenter_config(), color_ckpt, foreground=['dog'])
    (a, la), (b, lb) = color_image(16), color_image(24)
    masks = seg.segment([a, b, a])
    for mask, labels in zip(masks, [la, lb, la]):
        np.testing.assert_array_equal(mask, labels == 2)


def test_caller_scope_is_restored(color_ckpt):
    # The test session runs in scope 'fvgpt' (tests/conftest.py); mmseg needs 'mmseg'.
    before = DefaultScope.get_current_instance().scope_name
    seg = Segmenter(color_segmenter_config(), color_ckpt, foreground=['cat'])
    seg.segment([color_image()[0]])
    assert DefaultScope.get_current_instance().scope_name == before == 'fvgpt'


def test_model_key_follows_config_and_weights(color_ckpt, color_ckpt_other):
    key = Segmenter(color_segmenter_config(), color_ckpt, foreground=['cat']).model_key
    assert key == Segmenter(color_segmenter_config(), color_ckpt, foreground=['dog']).model_key
    assert key != Segmenter(
        color_segmenter_config(), color_ckpt_other, foreground=['cat']).model_key
    cfg = color_segmenter_config()
    cfg['test_pipeline'].insert(1, dict(type='Resize', scale=(8, 8), keep_ratio=True))
    assert key != Segmenter(cfg, color_ckpt, foreground=['cat']).model_key
    cfg = color_segmenter_config()
    cfg['model']['backbone']['init_cfg'] = dict(type='Pretrained', checkpoint='x.pth')
    assert key == Segmenter(cfg, color_ckpt, foreground=['cat']).model_key  # not used


def test_errors_name_the_fix(tmp_path, color_ckpt):
    with pytest.raises(ValueError, match='Set `foreground`'):
        Segmenter(color_segmenter_config(), color_ckpt)
    with pytest.raises(FileNotFoundError, match='Nothing is downloaded'):
        Segmenter(color_segmenter_config(), str(tmp_path / 'none.pth'), foreground=['cat'])
    with pytest.raises(FileNotFoundError, match='mmseg ships its configs'):
        Segmenter('mmseg::nope/nope.py', color_ckpt, foreground=['cat'])
    with pytest.raises(ValueError, match='test_pipeline'):
        Segmenter(dict(model=color_segmenter_config()['model']), color_ckpt, foreground=['cat'])
    seg = Segmenter(color_segmenter_config(), color_ckpt, foreground=['cow'])
    with pytest.raises(ValueError, match="'cow'.*sky, cat, dog"):
        seg.segment([color_image()[0]])
    # A checkpoint of another model.
    wrong = str(tmp_path / 'wrong.pth')
    torch.save({'state_dict': {'decode_head.conv_seg.weight': torch.zeros(5, 4, 1, 1)}}, wrong)
    with pytest.raises(RuntimeError, match='does not fit the segmenter config'):
        Segmenter(color_segmenter_config(), wrong, foreground=['cat']).model  # noqa: B018


def test_mmseg_config_by_name_resolves_to_the_wheel():
    from fvgpt.segmentation.config import load_seg_config
    cfg = load_seg_config('mmseg::segformer/segformer_mit-b0_8xb2-160k_ade20k-512x512.py')
    assert cfg.model.decode_head.num_classes == 150
    assert cfg.test_dataloader.dataset.type == 'ADE20KDataset'
