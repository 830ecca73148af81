"""FVGPTDataPreprocessor: batches the foreground view, mask and validity with the images."""
import pytest
import torch

from fvgpt.models.classifiers import CLIP_MEAN, CLIP_STD
from fvgpt.models.data_preprocessors import FVGPTDataPreprocessor
from fvgpt.testing.fvgpt_helpers import make_batch


def test_preprocessor_batches_foreground_data():
    pre = FVGPTDataPreprocessor(mean=CLIP_MEAN, std=CLIP_STD, to_rgb=True)
    batch = make_batch(num=3, size=8)
    batch['data_samples'][1].fg_mask_valid = False
    out = pre(batch, True)
    assert out['fg_inputs'].shape == out['inputs'].shape == (3, 3, 8, 8)
    assert out['fg_masks'].shape == (3, 8, 8) and out['fg_masks'].dtype == torch.float32
    assert out['fg_valid'].tolist() == [True, False, True]
    assert 'img_fg' not in out['data_samples'][0]  # moved out of the samples
    # img_fg is normalized exactly as inputs: where it equals the image, so do the tensors
    mask = out['fg_masks'][0].bool()
    assert torch.equal(out['fg_inputs'][0][:, mask], out['inputs'][0][:, mask])
    plain = pre(make_batch(num=2, size=8, with_fg=False), False)
    assert set(plain) == {'inputs', 'data_samples'}
    with pytest.raises(ValueError, match='batch_augments'):
        FVGPTDataPreprocessor(batch_augments=dict(augments=[]))
