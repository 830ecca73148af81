import pytest
import torch
from authors_reference import mmrl_forward
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS

# ToyCLIP's architecture (4 image layers, 3 text layers), random weights: with representation
# layers 2 and 3, layer 1 runs plain, layer 2 inserts the tokens, layer 3 replaces them, and the
# fourth image layer carries them on.
CLIP_NAME = 'toyclip-vit-t8'
REP_LAYERS = [2, 3]
CLASSES = ['red circle', 'blue_square', 'green star', 'yellow heart']
TEMPLATE = 'a photo of a {}, a type of shape.'


def build_mmrl(**kw):
    learner = dict(
        type='MMRLRepresentationLearner',
        n_tokens=3,
        rep_dim=16,
        rep_layers=kw.pop('rep_layers', REP_LAYERS))
    learner.update(kw.pop('learner', {}))
    return MODELS.build(
        dict(
            type='MMRL',
            clip=dict(type='OpenCLIP', model_name=CLIP_NAME),
            representation_learner=learner,
            **kw))


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def reference(model, images, labels=None):
    learner = model.representation_learner
    return mmrl_forward(
        model.clip.model,
        CLIP_NAME,
        CLASSES,
        TEMPLATE,
        images,
        labels,
        learner.rep_tokens,
        learner.to_text,
        learner.to_visual,
        learner.proj_rep,
        REP_LAYERS,
        alpha=model.alpha,
        reg_weight=model.reg_weight)


@pytest.fixture(scope='module')
def model_and_images():
    torch.manual_seed(0)
    model = build_mmrl(alpha=0.7, reg_weight=1.0)
    with torch.no_grad():  # larger tokens and distinct per-layer maps, as after training
        model.representation_learner.rep_tokens.mul_(20)
        for lin in [*model.representation_learner.to_text, *model.representation_learner.to_visual]:
            lin.weight.add_(0.05 * torch.randn_like(lin.weight))
    model.set_class_list(CLASSES, [TEMPLATE], subsample='base')
    return model, torch.randn(3, 3, 64, 64)


def test_mmrl_losses_equal_authors_computation(model_and_images):
    model, images = model_and_images
    labels = torch.tensor([1, 3, 0])
    model.train()
    losses = model.loss(images, samples(labels))
    ref = reference(model, images, labels)
    for ours, theirs in [('loss_ce', 0.7 * ref['ce']), ('loss_ce_rep', 0.3 * ref['ce_rep']),
                         ('loss_reg_image', ref['reg_image']), ('loss_reg_text', ref['reg_text'])]:
        torch.testing.assert_close(losses[ours], theirs, atol=1e-4, rtol=0, msg=ours)
    torch.testing.assert_close(sum(losses.values()), ref['total'], atol=1e-4, rtol=0)
    # the tokens reach both towers (a random tiny ViT's class token moves little)
    assert float(ref['reg_image'].detach()) > 1e-4 and float(ref['reg_text'].detach()) > 1e-3


def test_mmrl_base_and_new_logits_equal_authors_inference(model_and_images):
    model, images = model_and_images
    model.eval()
    ref = reference(model, images)
    with torch.no_grad():
        model.set_class_list(CLASSES, [TEMPLATE], subsample='base')
        base = model(images)
        model.set_class_list(CLASSES, [TEMPLATE], subsample='new')
        new = model(images)
    torch.testing.assert_close(base, ref['logits_fusion'], atol=1e-4, rtol=0)
    torch.testing.assert_close(new, ref['logits'], atol=1e-4, rtol=0)
    assert (base - new).abs().max() > 1e-3


def test_mmrl_text_blocks_before_the_tokens_run_once_with_the_same_gradients(model_and_images):
    # The text blocks before the first representation layer see the hand prompts only: MMRL
    # keeps their states instead of running them every step. The losses and the gradients of
    # every trained parameter at a step that uses the kept states equal the authors' full pass.
    model, images = model_and_images
    labels = torch.tensor([2, 0, 3])
    model.train()  # forgets kept states
    model.foundation_text_feats(templates=[TEMPLATE])  # u, cached by the CLIP wrapper: not counted
    text_blocks = model.clip.text['transformer'].resblocks
    calls = [0] * len(text_blocks)
    handles = [
        block.register_forward_pre_hook(lambda *a, i=i: calls.__setitem__(i, calls[i] + 1))
        for i, block in enumerate(text_blocks)
    ]
    params = [p for p in model.parameters() if p.requires_grad]
    try:
        model.loss(images, samples(labels))  # first step: computes and keeps the states
        losses = model.loss(images, samples(labels))
    finally:
        for handle in handles:
            handle.remove()
    first = REP_LAYERS[0] - 1
    assert calls == [1] * first + [2] * (len(text_blocks) - first)
    ref = reference(model, images, labels)
    torch.testing.assert_close(sum(losses.values()), ref['total'], atol=1e-4, rtol=0)
    ours = torch.autograd.grad(sum(losses.values()), params)
    theirs = torch.autograd.grad(ref['total'], params)
    for param, g_ours, g_theirs in zip(params, ours, theirs):
        assert g_theirs.abs().sum() > 0
        torch.testing.assert_close(g_ours, g_theirs, atol=1e-5, rtol=1e-4)
    # a new class list is not served from the kept states
    model.set_class_list(CLASSES[:2], [TEMPLATE], subsample='base')
    try:
        assert model.text_feats().shape[0] == 2
    finally:
        model.set_class_list(CLASSES, [TEMPLATE], subsample='base')


def test_mmrl_trains_its_tokens_maps_and_proj_rep_only():
    torch.manual_seed(1)
    model = build_mmrl()
    model.set_class_list(CLASSES, [TEMPLATE], subsample='base')
    model.train()
    losses = model.loss(torch.randn(2, 3, 64, 64), samples([0, 2]))
    sum(losses.values()).backward()
    with_grad = {n for n, p in model.named_parameters() if p.grad is not None}
    assert with_grad == {
        n
        for n, _ in model.representation_learner.named_parameters(prefix='representation_learner')
    }
    assert 'representation_learner.proj_rep' in with_grad
    assert all(not p.requires_grad for p in model.clip.parameters())


def test_mmrl_recipe_checks(tmp_path):
    torch.manual_seed(2)
    model = build_mmrl()
    state = model.state_dict()
    assert not any(k.startswith('clip.') for k in state)
    torch.manual_seed(2)  # the same random CLIP (its weights' hash is in the recipe)
    fresh = build_mmrl()
    with torch.no_grad():
        fresh.representation_learner.rep_tokens.add_(1.0)  # overwritten by the load
    fresh.load_state_dict(state, strict=True)
    torch.testing.assert_close(fresh.representation_learner.rep_tokens,
                               model.representation_learner.rep_tokens)
    with pytest.raises(ValueError, match='rep_layers'):
        build_mmrl(rep_layers=[3]).load_state_dict(state)
    with pytest.raises(ValueError, match='n_tokens'):
        build_mmrl(learner=dict(n_tokens=2)).load_state_dict(state)


def test_mmrl_bad_arguments_explain():
    with pytest.raises(ValueError, match=r'its text transformer has layers 1..3'):
        build_mmrl(rep_layers=[3, 4])
    with pytest.raises(ValueError, match='ascending'):
        build_mmrl(rep_layers=[3, 2])
    with pytest.raises(ValueError, match='alpha must lie in'):
        build_mmrl(alpha=1.5)
    with pytest.raises(ValueError, match='fused_inference must be one of'):
        build_mmrl(fused_inference='sometimes')


def test_fvgpt_on_mmrl_scores_base_and_new_as_mmrl_does(model_and_images):
    import fvgpt.models.fvgpt  # noqa: F401  (registers FVGPT)
    model, images = model_and_images
    model.eval()
    fvgpt_model = MODELS.build(
        dict(
            type='FVGPT',
            backbone=model,
            test_branch='auto',
            base_head=dict(type='FDCHead', logit_scale=None)))
    with torch.no_grad():  # adapters at the identity: z_fdc is the backbone's own base rule
        for adapter in (fvgpt_model.base_head.image_adapter, fvgpt_model.base_head.text_adapter):
            adapter.up.weight.zero_()
    fvgpt_model.eval()
    ref = reference(model, images)
    with torch.no_grad():
        fvgpt_model.set_class_list(CLASSES, [TEMPLATE], subsample='base')
        base = fvgpt_model.branch_outputs(images)
        fvgpt_model.set_class_list(CLASSES, [TEMPLATE], subsample='new')
        new = fvgpt_model.branch_outputs(images)
    # the base branch combines the adapted class-token and representation features as MMRL's
    # fusion, at s_fdc = MMRL's fixed 100
    torch.testing.assert_close(base['logits_fdc'], ref['logits_fusion'], atol=1e-4, rtol=0)
    # the new branch calibrates MMRL's new-class logits (class token only) with the
    # prompt-free CLIP's
    torch.testing.assert_close(new['logits_full'], ref['logits'], atol=1e-4, rtol=0)
    clip = model.clip.model
    zs_image = torch.nn.functional.normalize(clip.encode_image(images), dim=-1)
    zs_text = model.foundation_text_feats(CLASSES, [TEMPLATE])
    torch.testing.assert_close(
        new['logits_clip'], clip.logit_scale.exp() * zs_image @ zs_text.t(), atol=1e-4, rtol=0)
