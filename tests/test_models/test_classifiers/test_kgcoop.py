import pytest
import torch
from authors_reference import kgcoop_loss
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.testing import TINY_CLIP_NAME, tiny_clip_cfg

CLASSES = ['red_circle', 'blue square', 'green star']


def tiny_kgcoop(**kw):
    return MODELS.build(dict(type='KgCoOp', clip=tiny_clip_cfg(), **kw))


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def test_kgcoop_equals_authors_computation():
    torch.manual_seed(0)
    model = tiny_kgcoop(kg_weight=2.0)
    model.set_class_list(CLASSES, ['a photo of a {}, a type of shape.'])
    with torch.no_grad():  # move the context away from its init: the score is then non-zero
        model.prompt_learner.ctx.add_(0.3 * torch.randn_like(model.prompt_learner.ctx))
    images = torch.randn(4, 3, 32, 32)
    labels = torch.tensor([0, 2, 1, 2])
    model.train()
    losses = model.loss(images, samples(labels))

    ref_logits, ref_ce, ref_score, ref_total = kgcoop_loss(
        model.clip.model,
        TINY_CLIP_NAME,
        CLASSES,
        model.prompt_learner.ctx.detach(),
        images,
        labels,
        'a photo of a {}, a type of shape.',
        weight=2.0)
    assert float(ref_score) > 1e-3
    torch.testing.assert_close(losses['loss_ce'], ref_ce, atol=1e-4, rtol=0)
    torch.testing.assert_close(losses['loss_kg'], 2.0 * ref_score, atol=1e-4, rtol=0)
    torch.testing.assert_close(losses['loss_ce'] + losses['loss_kg'], ref_total, atol=1e-4, rtol=0)
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model(images), ref_logits, atol=1e-4, rtol=0)


def test_kgcoop_knowledge_template_overrides_dataset_template():
    torch.manual_seed(0)
    model = tiny_kgcoop(knowledge_template='a photo of a {}, a type of texture.')
    model.set_class_list(CLASSES, ['{} texture.'])
    images, labels = torch.randn(2, 3, 32, 32), torch.tensor([0, 1])
    ctx = model.prompt_learner.ctx.detach()
    _, _, score_own, _ = kgcoop_loss(model.clip.model, TINY_CLIP_NAME, CLASSES, ctx, images, labels,
                                     'a photo of a {}, a type of texture.', 1.0)
    _, _, score_dataset, _ = kgcoop_loss(model.clip.model, TINY_CLIP_NAME, CLASSES, ctx, images,
                                         labels, '{} texture.', 1.0)
    loss_kg = model.loss(images, samples(labels))['loss_kg']
    assert abs(float(score_own - score_dataset)) > 1e-3
    torch.testing.assert_close(loss_kg, 2.0 * score_own, atol=1e-4, rtol=0)


def test_kgcoop_defaults_are_the_authors_recipe_and_gradient_reaches_context_only():
    model = tiny_kgcoop()
    assert model.kg_weight == 2.0
    assert model.prompt_learner.n_ctx == 4 and model.prompt_learner.ctx_init == 'a photo of a'
    model.set_class_list(CLASSES)
    model.train()
    losses = model.loss(torch.randn(2, 3, 32, 32), samples([0, 1]))
    # at the init "a photo of a" the prompt is the hand prompt "a photo of a {}." itself
    assert float(losses['loss_kg'].detach()) < 1e-5
    with torch.no_grad():
        model.prompt_learner.ctx.add_(0.5)
    losses = model.loss(torch.randn(2, 3, 32, 32), samples([0, 1]))
    (losses['loss_ce'] + losses['loss_kg']).backward()
    trained = [n for n, p in model.named_parameters() if p.grad is not None]
    assert trained == ['prompt_learner.ctx']


def test_kgcoop_bad_arguments_explain():
    with pytest.raises(ValueError, match='knowledge_template must hold one'):
        tiny_kgcoop(knowledge_template='a photo')
    with pytest.raises(ValueError, match='kg_weight must be >= 0'):
        tiny_kgcoop(kg_weight=-1)


def test_kgcoop_checkpoint_round_trip_and_recipe_mismatch():
    torch.manual_seed(3)
    model = tiny_kgcoop()
    with torch.no_grad():
        model.prompt_learner.ctx.add_(0.1)
    state = model.state_dict()
    assert not any(k.startswith('clip.') for k in state)  # the frozen CLIP stays out
    torch.manual_seed(3)  # the same random CLIP (its weights' hash is in the recipe)
    fresh = tiny_kgcoop()
    with torch.no_grad():
        fresh.prompt_learner.ctx.add_(1.0)  # other prompts, overwritten by the load
    fresh.load_state_dict(state, strict=True)
    torch.testing.assert_close(fresh.prompt_learner.ctx, model.prompt_learner.ctx)
    with pytest.raises(ValueError, match='n_ctx'):
        tiny_kgcoop(prompt_learner=dict(type='CoOpPromptLearner', n_ctx=2)).load_state_dict(state)
    coop = MODELS.build(
        dict(
            type='CoOp',
            clip=tiny_clip_cfg(),
            prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')))
    with pytest.raises(ValueError, match='backbone'):  # a KgCoOp checkpoint is not CoOp's
        coop.load_state_dict(state)
