"""CoCoOp against a plain restatement of the authors' per-image loop (KaiyangZhou/CoOp
``trainers/cocoop.py``), its batched text path, the contract's per-image text and checkpoints."""
import pytest
import torch
import torch.nn.functional as F
from authors_reference import plain_image_features, prompted_text_features, tokenize
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.testing import TINY_CLIP_NAME, tiny_clip_cfg

CLASSES = ['red_circle', 'blue square', 'green star', 'yellow triangle shape']
CTX_INIT = 'a photo of a'


def tiny_cocoop(**kw):
    return MODELS.build(dict(type='CoCoOp', clip=tiny_clip_cfg(), **kw))


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def moved(model, seed=0):
    """The model with its context and meta-net away from their init (non-trivial shifts)."""
    torch.manual_seed(seed)
    learner = model.prompt_learner
    with torch.no_grad():
        learner.ctx.add_(0.3 * torch.randn_like(learner.ctx))
        for p in learner.meta_net.parameters():
            p.mul_(8.0)  # a shift comparable to the context's own scale
    return model


def authors_cocoop(model, classnames, images, labels, ctx, w1, b1, w2, b2):
    """``CustomCLIP.forward`` of ``trainers/cocoop.py`` (fp32): the normalized image feature
    drives ``meta_net``; for each image, its shift is added to the 4 context vectors, the
    prompts ``[SOT] ctx "name." [EOT]`` of all classes (from "a photo of a name.", all 77
    positions) go through the text encoder, and the logits are ``s <v_b, w_{b,c}>``."""
    image = plain_image_features(model, images)
    shift = F.linear(F.relu(F.linear(image, w1, b1)), w2, b2)  # (B, ctx_dim)
    names = [c.replace('_', ' ') for c in classnames]
    tokens = tokenize(TINY_CLIP_NAME, [f'{CTX_INIT} {n}.' for n in names])
    emb = model.token_embedding(tokens)
    n_ctx = ctx.shape[0]
    logits = []
    for b in range(images.shape[0]):
        ctx_b = (ctx + shift[b]).unsqueeze(0).expand(len(classnames), -1, -1)
        prompts = torch.cat([emb[:, :1], ctx_b, emb[:, 1 + n_ctx:]], dim=1)
        text = prompted_text_features(model, prompts, tokens)
        logits.append(model.logit_scale.exp() * image[b] @ text.t())
    logits = torch.stack(logits)
    return logits, F.cross_entropy(logits, labels)


def test_cocoop_logits_loss_and_gradients_equal_authors_loop():
    torch.manual_seed(0)
    model = moved(tiny_cocoop())
    model.set_class_list(CLASSES)
    images = torch.randn(3, 3, 32, 32)
    labels = torch.tensor([0, 3, 1])
    learner = model.prompt_learner
    params = [
        learner.ctx, learner.meta_net.linear1.weight, learner.meta_net.linear1.bias,
        learner.meta_net.linear2.weight, learner.meta_net.linear2.bias
    ]
    leaves = [p.detach().clone().requires_grad_(True) for p in params]
    ref_logits, ref_ce = authors_cocoop(model.clip.model, CLASSES, images, labels, *leaves)
    ref_grads = torch.autograd.grad(ref_ce, leaves)

    model.train()
    loss = model.loss(images, samples(labels))['loss_ce']
    loss.backward()
    torch.testing.assert_close(loss, ref_ce, atol=1e-4, rtol=0)
    for param, ref in zip(params, ref_grads):
        assert ref.abs().max() > 1e-6  # the shift matters
        torch.testing.assert_close(param.grad, ref, atol=1e-4, rtol=1e-3)
    model.eval()
    with torch.no_grad():
        logits = model(images)
    assert (ref_logits[0] - ref_logits[1]).abs().max() > 1e-3  # per-image prompts differ
    torch.testing.assert_close(logits, ref_logits.detach(), atol=1e-4, rtol=0)


def test_batched_text_equals_a_per_image_loop_and_eval_groups():
    torch.manual_seed(1)
    model = moved(tiny_cocoop(eval_prompts_per_call=None), seed=1)
    model.set_class_list(CLASSES)
    images = torch.randn(5, 3, 32, 32)
    model.eval()
    with torch.no_grad():
        batched = model(images)
        looped = torch.cat([model(images[i:i + 1]) for i in range(5)])
        model.eval_prompts_per_call = 2 * len(CLASSES) + 1  # groups of 2 images, one call each
        calls = []
        original = model.clip.encode_text_embeddings

        def counting(embeddings, eot, **kw):
            calls.append(embeddings.shape[0])
            return original(embeddings, eot, **kw)

        model.clip.encode_text_embeddings = counting
        grouped = model(images)
    torch.testing.assert_close(batched, looped, atol=1e-5, rtol=0)
    torch.testing.assert_close(grouped, batched, atol=1e-5, rtol=0)
    assert calls == [8, 8, 4]
    # with gradient, one call for all B * C prompts whatever the grouping
    calls.clear()
    model.train()
    model(images)
    assert calls == [5 * len(CLASSES)]


def test_text_is_per_image_needs_image_feats_and_is_never_cached():
    torch.manual_seed(2)
    model = moved(tiny_cocoop(), seed=2)
    model.set_class_list(CLASSES)
    model.eval()
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        feats = model.image_feats(images)
        text = model.text_feats(image_feats=feats)
        model(images)
    assert text.shape == (2, len(CLASSES), model.clip.embed_dim)
    torch.testing.assert_close(text.norm(dim=-1), torch.ones(2, len(CLASSES)))
    assert (text[0] - text[1]).abs().max() > 1e-3
    assert model._text_cache == {}
    with pytest.raises(ValueError, match='pass image_feats'):
        model.text_feats()


def test_cocoop_defaults_are_the_authors_recipe_and_only_the_prompt_learner_trains():
    model = tiny_cocoop()
    learner = model.prompt_learner
    assert (learner.n_ctx, learner.ctx_init) == (4, CTX_INIT)
    d = model.clip.embed_dim
    assert (learner.meta_net.linear1.in_features, learner.meta_net.linear1.out_features,
            learner.meta_net.linear2.out_features) == (d, d // 16, model.clip.text_width)
    # the context starts at the token embeddings of "a photo of a"
    tokens = model.clip.tokenize([CTX_INIT])
    torch.testing.assert_close(learner.ctx.detach(), model.clip.token_embedding(tokens)[0, 1:5])
    model.set_class_list(CLASSES)
    model.train()
    model.loss(torch.randn(2, 3, 32, 32), samples([0, 1]))['loss_ce'].backward()
    trained = sorted(n for n, p in model.named_parameters() if p.grad is not None)
    assert trained == [
        'prompt_learner.ctx', 'prompt_learner.meta_net.linear1.bias',
        'prompt_learner.meta_net.linear1.weight', 'prompt_learner.meta_net.linear2.bias',
        'prompt_learner.meta_net.linear2.weight'
    ]


def test_bad_arguments_explain():
    with pytest.raises(ValueError, match='meta_net_ratio'):
        tiny_cocoop(prompt_learner=dict(type='CoCoOpPromptLearner', meta_net_ratio=1000))
    with pytest.raises(ValueError, match='eval_prompts_per_call'):
        tiny_cocoop(eval_prompts_per_call=0)


def test_cocoop_checkpoint_round_trip_and_recipe_mismatch():
    torch.manual_seed(3)
    model = moved(tiny_cocoop(), seed=3)
    state = model.state_dict()
    assert not any(k.startswith('clip.') for k in state)
    assert 'prompt_learner.meta_net.linear1.weight' in state
    torch.manual_seed(3)  # the same random CLIP
    fresh = tiny_cocoop()
    fresh.load_state_dict(state, strict=True)
    for name, value in model.state_dict().items():
        if not name.endswith('_extra_state'):
            torch.testing.assert_close(fresh.state_dict()[name], value)
    with pytest.raises(ValueError, match='n_ctx'):
        tiny_cocoop(prompt_learner=dict(type='CoCoOpPromptLearner', n_ctx=2,
                                        ctx_init=None)).load_state_dict(state)
    with pytest.raises(ValueError, match='meta_net_widths'):
        tiny_cocoop(prompt_learner=dict(type='CoCoOpPromptLearner',
                                        meta_net_ratio=8)).load_state_dict(state)
    coop = MODELS.build(
        dict(
            type='CoOp',
            clip=tiny_clip_cfg(),
            prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init=CTX_INIT)))
    with pytest.raises(ValueError, match='backbone'):  # a CoCoOp checkpoint is not CoOp's
        coop.load_state_dict(state)
    with pytest.raises(ValueError, match='backbone'):
        tiny_cocoop().load_state_dict(coop.state_dict())
