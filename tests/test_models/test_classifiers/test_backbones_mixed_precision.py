"""KgCoOp, PromptSRC, MMRL, MaPLe, TCP and CoCoOp train under autocast, as `tools/train.py --amp`
runs them (the authors' PREC fp16/amp). CPU autocast (bfloat16) stands in for CUDA's float16
here."""
import pytest
import torch
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.testing import tiny_clip_cfg

BACKBONES = {
    'CoCoOp':
    dict(prompt_learner=dict(type='CoCoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')),
    'KgCoOp':
    dict(prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')),
    'PromptSRC':
    dict(
        prompt_learner=dict(
            type='IVLPPromptLearner', n_ctx_text=4, n_ctx_vision=2, depth_text=2, depth_vision=2),
        teacher_templates=['a photo of a {}.', 'a drawing of the {}.']),
    'MaPLe':
    dict(prompt_learner=dict(type='MaPLePromptLearner', n_ctx=2, depth=2)),
    'MMRL':
    dict(
        representation_learner=dict(
            type='MMRLRepresentationLearner', n_tokens=2, rep_dim=16, rep_layers=[1, 2])),
    'TCP':
    dict(prompt_learner=dict(type='TCPPromptLearner', n_ctx=4, class_token_block=1)),
}


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_loss_and_gradients_under_autocast_match_fp32(name):
    torch.manual_seed(0)
    model = MODELS.build(dict(type=name, clip=tiny_clip_cfg(), **BACKBONES[name]))
    model.set_class_list(['red circle', 'blue square', 'green star'], ['a photo of a {}.'],
                         subsample='base')
    model.train()
    images = torch.randn(2, 3, 32, 32)
    data = [DataSample().set_gt_label(y) for y in (0, 2)]

    def loss_and_grads():
        model.zero_grad()
        losses = model.loss(images, data)
        total = sum(losses.values())
        total.backward()
        return total.detach().float(), {
            n: p.grad.detach().float().clone()
            for n, p in model.named_parameters() if p.requires_grad
        }

    ref_loss, ref_grads = loss_and_grads()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss, grads = loss_and_grads()
    assert torch.isfinite(loss)
    torch.testing.assert_close(loss, ref_loss, rtol=0.05, atol=0.05)
    assert grads.keys() == ref_grads.keys()
    for n, g in grads.items():
        assert torch.isfinite(g).all(), n
        # same direction as the fp32 gradient
        cos = torch.nn.functional.cosine_similarity(g.flatten(), ref_grads[n].flatten(), dim=0)
        assert cos > 0.9, (n, float(cos))
