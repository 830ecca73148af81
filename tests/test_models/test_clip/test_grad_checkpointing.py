"""OpenCLIP(grad_checkpointing=True): the same losses and gradients, with the blocks' activations
recomputed in the backward pass instead of kept (the memory saving of the benchmark)."""
import pytest
import torch
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.toyworld import TOYCLIP_MODEL

CLASSES = ['red circle', 'green_square', 'blue star', 'yellow ring']

BACKBONES = {
    # gradients through both towers' blocks: deep text prompts in the input, visual span at 'end'
    'IVLP':
    dict(
        prompt_learner=dict(
            type='IVLPPromptLearner',
            n_ctx_text=2,
            n_ctx_vision=2,
            depth_text=3,
            depth_vision=3,
            ctx_init='a photo of a')),
    # inserted spans at later blocks of both towers
    'MMRL':
    dict(
        representation_learner=dict(
            type='MMRLRepresentationLearner', n_tokens=3, rep_dim=16, rep_layers=[2, 3])),
    # the context through the text tower only; the image tower is open_clip's own call
    'CoOp':
    dict(prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4)),
}


def build(name: str, grad_checkpointing):
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type=name,
            clip=dict(
                type='OpenCLIP', model_name=TOYCLIP_MODEL, grad_checkpointing=grad_checkpointing),
            **BACKBONES[name]))
    with torch.no_grad():  # prompts away from their init, so that every gradient is non-zero
        for p in model.parameters():
            if p.requires_grad:
                p.add_(0.1 * torch.randn_like(p))
    model.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    return model.train()


def step(model):
    torch.manual_seed(1)
    size = model.clip.image_size
    images = torch.randn(3, 3, size, size)
    losses = model.loss(images, [DataSample().set_gt_label(i) for i in (0, 2, 3)])
    sum(losses.values()).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    return {k: v.detach() for k, v in losses.items()}, grads


class BlockCalls:
    """Counts the calls of every block of both towers, in total (``count``) and per tower
    (``per_tower``; pre-hooks: a recomputation stops once it has what the backward pass needs,
    before forward hooks would run)."""

    def __init__(self, clip):
        self.per_tower = dict(vision=0, text=0)
        towers = dict(vision=clip.model.visual.transformer, text=clip.text['transformer'])
        self.handles = [
            block.register_forward_pre_hook(self.hook(name)) for name, t in towers.items()
            for block in t.resblocks
        ]

    @property
    def count(self) -> int:
        return sum(self.per_tower.values())

    def hook(self, tower):

        def count(*args):
            self.per_tower[tower] += 1

        return count

    def remove(self):
        for handle in self.handles:
            handle.remove()


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_same_losses_and_gradients_with_blocks_recomputed(name):
    plain, recomputed = build(name, False), build(name, True)
    assert recomputed.clip.model.transformer.grad_checkpointing
    plain_calls, recomputed_calls = BlockCalls(plain.clip), BlockCalls(recomputed.clip)
    losses, grads = step(plain)
    losses_ckpt, grads_ckpt = step(recomputed)
    assert losses.keys() == losses_ckpt.keys()
    for key in losses:
        torch.testing.assert_close(losses_ckpt[key], losses[key], rtol=0, atol=1e-6)
    assert grads.keys() == grads_ckpt.keys() and grads
    for key in grads:
        assert grads[key].abs().sum() > 0, key
        torch.testing.assert_close(grads_ckpt[key], grads[key], rtol=1e-5, atol=1e-7)
    # the blocks that gradients flow through ran again in the backward pass
    assert recomputed_calls.count > plain_calls.count
    plain_calls.remove()
    recomputed_calls.remove()


@pytest.mark.parametrize('name', ['IVLP', 'MMRL'])
@pytest.mark.parametrize('tower', ['text', 'vision'])
def test_one_tower_recomputed(name, tower):
    # grad_checkpointing='text' / 'vision': the same losses and gradients, and only that tower's
    # blocks run again in the backward pass (the other keeps its activations)
    plain, recomputed = build(name, False), build(name, tower)
    plain_calls, recomputed_calls = BlockCalls(plain.clip), BlockCalls(recomputed.clip)
    losses, grads = step(plain)
    losses_ckpt, grads_ckpt = step(recomputed)
    for key in losses:
        torch.testing.assert_close(losses_ckpt[key], losses[key], rtol=0, atol=1e-6)
    assert grads.keys() == grads_ckpt.keys() and grads
    for key in grads:
        torch.testing.assert_close(grads_ckpt[key], grads[key], rtol=1e-5, atol=1e-7)
    other = 'vision' if tower == 'text' else 'text'
    assert recomputed_calls.per_tower[tower] > plain_calls.per_tower[tower]
    assert recomputed_calls.per_tower[other] == plain_calls.per_tower[other]
    plain_calls.remove()
    recomputed_calls.remove()


def test_unknown_grad_checkpointing_value():
    with pytest.raises(ValueError, match='grad_checkpointing must be one of'):
        build('IVLP', 'image')


def test_no_recomputation_without_gradients():
    model = build('IVLP', True)
    calls = BlockCalls(model.clip)
    images = torch.randn(2, 3, model.clip.image_size, model.clip.image_size)
    with torch.no_grad():
        logits = model.logits(images)
    plain = build('IVLP', False)
    with torch.no_grad():
        torch.testing.assert_close(logits, plain.logits(images), rtol=0, atol=0)
    depth = len(model.clip.model.visual.transformer.resblocks) + len(
        model.clip.text['transformer'].resblocks)
    assert calls.count == depth  # each block once: the text features are computed once
    calls.remove()
