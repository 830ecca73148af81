import pytest
import torch
from authors_reference import promptsrc_losses, promptsrc_teacher_text_features
from mmpretrain.structures import DataSample

from fvgpt.models.classifiers.promptsrc import PROMPTSRC_TEMPLATES
from fvgpt.registry import MODELS

# ToyCLIP's architecture (4 image layers, 3 text layers), random weights: prompts to depth 3 in
# both towers cover the first-layer prompts, deep replacements and an unprompted last image layer.
CLIP_NAME = 'toyclip-vit-t8'
CLASSES = ['red circle', 'blue_square', 'green star']
TEMPLATES = ['a photo of a {}.', 'a drawing of the {}.', 'itap of a {}.']


def build_promptsrc(**kw):
    learner = dict(
        type='IVLPPromptLearner',
        n_ctx_text=4,
        n_ctx_vision=2,
        depth_text=3,
        depth_vision=3,
        ctx_init='a photo of a')
    learner.update(kw.pop('learner', {}))
    return MODELS.build(
        dict(
            type='PromptSRC',
            clip=dict(type='OpenCLIP', model_name=CLIP_NAME),
            prompt_learner=learner,
            **kw))


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def test_teacher_templates_are_the_authors_sixty():
    assert len(PROMPTSRC_TEMPLATES) == 60 == len(set(PROMPTSRC_TEMPLATES))
    assert PROMPTSRC_TEMPLATES[0] == 'a photo of a {}.'
    assert PROMPTSRC_TEMPLATES[1] == 'a bad photo of a {}.'
    assert PROMPTSRC_TEMPLATES[-1] == 'itap of the {}.'
    # CLIP's 80 minus the 20 the authors' list leaves out
    assert 'a plushie {}.' not in PROMPTSRC_TEMPLATES and 'itap of a {}.' not in \
        PROMPTSRC_TEMPLATES


def test_promptsrc_losses_and_logits_equal_authors_computation():
    torch.manual_seed(0)
    model = build_promptsrc(text_weight=25.0, image_weight=10.0, teacher_templates=TEMPLATES)
    learner = model.prompt_learner
    with torch.no_grad():  # prompts away from their init, as after some training
        for p in learner.parameters():
            p.add_(0.5 * torch.randn_like(p))
    model.set_class_list(CLASSES, ['a photo of a {}.'], subsample='base')
    images, labels = torch.randn(3, 3, 64, 64), torch.tensor([2, 0, 1])
    model.train()
    losses = model.loss(images, samples(labels))

    ref = promptsrc_losses(
        model.clip.model,
        CLIP_NAME,
        CLASSES,
        images,
        labels,
        text_ctx=learner.ctx,
        text_deep=list(learner.text_deep),
        vision_first=learner.vision[0],
        vision_deep=list(learner.vision[1:]),
        templates=TEMPLATES)
    for ours, theirs in [('loss_ce', 'ce'), ('loss_scl_text', 'l1_text'),
                         ('loss_scl_image', 'l1_image'), ('loss_scl_logits', 'kl')]:
        torch.testing.assert_close(losses[ours], ref[theirs], atol=1e-4, rtol=0, msg=ours)
        assert float(ref[theirs].detach()) > 1e-4, theirs  # every term is exercised
    torch.testing.assert_close(sum(losses.values()), ref['total'], atol=1e-4, rtol=0)
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model(images), ref['logits'], atol=1e-4, rtol=0)


def test_teacher_averages_unnormalized_features_and_is_cached():
    torch.manual_seed(1)
    model = build_promptsrc(teacher_templates=TEMPLATES)
    model.set_class_list(CLASSES)
    teacher = model.teacher_text_feats()
    ref = promptsrc_teacher_text_features(model.clip.model, CLIP_NAME, CLASSES, TEMPLATES)
    torch.testing.assert_close(teacher, ref, atol=1e-5, rtol=0)
    # CLIP's zero-shot ensemble (mean of normalized features) is another vector
    ensemble = model.foundation_text_feats(CLASSES, TEMPLATES)
    assert (ensemble - teacher).abs().max() > 1e-4
    calls = []
    encode = model.clip.encode_text
    model.clip.encode_text = lambda *a, **k: calls.append(1) or encode(*a, **k)
    model.teacher_text_feats()
    assert not calls


def test_promptsrc_trains_the_ivlp_prompts_only():
    torch.manual_seed(2)
    model = build_promptsrc(teacher_templates=TEMPLATES[:1])
    model.set_class_list(CLASSES)
    model.train()
    sum(model.loss(torch.randn(2, 3, 64, 64), samples([0, 1])).values()).backward()
    with_grad = {n for n, p in model.named_parameters() if p.grad is not None}
    assert with_grad == {n for n, p in model.named_parameters() if p.requires_grad}
    assert with_grad == {
        'prompt_learner.ctx', 'prompt_learner.text_deep.0', 'prompt_learner.text_deep.1',
        'prompt_learner.vision.0', 'prompt_learner.vision.1', 'prompt_learner.vision.2'
    }


def test_promptsrc_checkpoint_round_trip_and_recipe_mismatch():
    torch.manual_seed(3)
    model = build_promptsrc()
    state = model.state_dict()
    assert not any(k.startswith('clip.') for k in state)
    torch.manual_seed(3)  # the same random CLIP (its weights' hash is in the recipe)
    fresh = build_promptsrc()
    with torch.no_grad():
        for p in fresh.prompt_learner.parameters():
            p.add_(1.0)  # other prompts, overwritten by the load
    fresh.load_state_dict(state, strict=True)
    for a, b in zip(fresh.prompt_learner.parameters(), model.prompt_learner.parameters()):
        torch.testing.assert_close(a, b)
    with pytest.raises(ValueError, match='depth_vision'):
        build_promptsrc(learner=dict(depth_vision=2)).load_state_dict(state)
    ivlp = MODELS.build(
        dict(
            type='IVLP',
            clip=dict(type='OpenCLIP', model_name=CLIP_NAME),
            prompt_learner=dict(
                type='IVLPPromptLearner',
                n_ctx_text=4,
                n_ctx_vision=2,
                depth_text=3,
                depth_vision=3)))
    with pytest.raises(ValueError, match='backbone'):
        ivlp.load_state_dict(state)


def test_bad_teacher_templates_explain():
    with pytest.raises(ValueError, match='one "{}"'):
        build_promptsrc(teacher_templates=['a photo'])
