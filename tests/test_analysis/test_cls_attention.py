"""The CLS-attention map from the block's own weights equals the attention the block computes."""
import analysis_test_helpers as h
import pytest
import torch
import torch.nn.functional as F

from fvgpt.analysis import AttentionMapper, cls_attention


@pytest.mark.parametrize('kind', ['coop', 'prompted_front'])
def test_cls_attention_equals_multihead_attention_weights(kind):
    model = h.coop() if kind == 'coop' else h.prompted(position=1)
    inputs = h.images()
    _, _, _, last_in = h.last_tokens_by_hand(model, inputs)
    block = model.clip.model.visual.transformer.resblocks[-1]
    y = block.ln_1(last_in)
    with torch.no_grad():
        _, weights = block.attn(y, y, y, need_weights=True, average_attn_weights=True)
    index = torch.arange(1, 17) if kind == 'coop' else torch.arange(4, 20)
    expected = weights[:, 0, index]
    with torch.no_grad():
        ours = cls_attention(block, last_in, index)
    assert torch.allclose(ours, expected, atol=1e-6)
    # the mapper captures the same input and upsamples the 4x4 grid
    maps = AttentionMapper(model, method='cls_attention')(inputs).maps
    grid = F.interpolate(
        expected.view(-1, 1, 4, 4), size=(32, 32), mode='bilinear', align_corners=False)[:, 0]
    assert torch.allclose(maps, grid, atol=1e-6)
