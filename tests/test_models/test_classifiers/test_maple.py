"""MaPLe against a plain restatement of the authors' computation (muzairkhattak/
multimodal-prompt-learning trainers/maple.py with clip/model.py's ResidualAttentionBlock_MaPLe
and VisionTransformer_MaPLe), on the same random tiny weights; FVG-PT on MaPLe."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.structures import DataSample

import fvgpt.models.fvgpt  # noqa: F401  (registers FVG-PT)
from fvgpt.models.clip import OpenCLIP
from fvgpt.models.fvgpt import FVGPT, Stage1CheckpointError
from fvgpt.registry import MODELS
from fvgpt.testing.fvgpt_helpers import make_batch
from fvgpt.toyworld import TOYCLIP_MODEL

CLASSES = ['red circle', 'green_square', 'blue star']
TEMPLATE = 'a photo of a {}.'


def maple_cfg(**learner):
    # ToyCLIP: text width 64, vision width 128 (the projections change the width), 3 text and
    # 4 vision blocks
    prompts = dict(type='MaPLePromptLearner', n_ctx=2, depth=3, ctx_init='a photo of a')
    prompts.update(learner)
    return dict(
        type='MaPLe', clip=dict(type='OpenCLIP', model_name=TOYCLIP_MODEL), prompt_learner=prompts)


def build(**learner):
    torch.manual_seed(0)
    model = MODELS.build(maple_cfg(**learner))
    with torch.no_grad():  # prompts and maps away from their init (identical clones), as trained
        for p in model.prompt_learner.parameters():
            p.add_(0.05 * torch.randn_like(p))
    model.set_class_list(CLASSES, [TEMPLATE], 'base')
    return model


def causal_mask(length):
    return torch.full((length, length), float('-inf')).triu(1)


def authors_prompt_learner(learner):
    """MultiModalPromptLearner.forward: the text context, the visual first-layer prompt
    proj(ctx), the deeper text prompts, and compound_prompt_projections[i](deeper text[i])."""
    proj, *deeper_proj = learner.to_vision
    deep_text = list(learner.text_deep)
    deep_vision = [layer(p) for layer, p in zip(deeper_proj, deep_text)]
    return learner.ctx, proj(learner.ctx), deep_text, deep_vision


def authors_text(clip, ctx, deep_text, classnames):
    """TextEncoder + ResidualAttentionBlock_MaPLe (text_layer=True): prompt 'a photo of a
    <name>.' with the first n_ctx tokens after SOT replaced by ctx; before each block i >= 1
    while deeper prompts remain, positions 1..n_ctx are replaced by deep_text[i - 1]; all 77
    positions, causal mask; EOT = argmax token; fp32 (their .half() casts left out)."""
    m = clip.model
    n = ctx.shape[0]
    tokens = clip.tokenize([f'a photo of a {c.replace("_", " ")}.' for c in classnames])
    emb = m.token_embedding(tokens)
    x = torch.cat([emb[:, :1], ctx.expand(len(classnames), -1, -1), emb[:, 1 + n:]], 1)
    x = x + m.positional_embedding
    counter = 0
    for i, block in enumerate(m.transformer.resblocks):
        if i > 0 and counter < len(deep_text):
            x = torch.cat(
                [x[:, :1], deep_text[counter].expand(len(classnames), -1, -1), x[:, 1 + n:]], 1)
            counter += 1
        x = block(x, attn_mask=causal_mask(x.shape[1]))
    x = m.ln_final(x)
    return x[torch.arange(len(classnames)), tokens.argmax(-1)] @ m.text_projection


def authors_image(clip, shared_ctx, deep_vision, images):
    """VisionTransformer_MaPLe + ResidualAttentionBlock_MaPLe: shared_ctx appended after the
    positional embedding (before ln_pre); before each block i >= 1 while deeper prompts remain,
    the last n tokens are replaced by deep_vision[i - 1]; CLS token pooled."""
    v = clip.model.visual
    b = images.shape[0]
    n = shared_ctx.shape[0]
    x = v.conv1(images).flatten(2).transpose(1, 2)
    x = torch.cat([v.class_embedding.expand(b, 1, -1), x], 1) + v.positional_embedding
    x = torch.cat([x, shared_ctx.expand(b, -1, -1)], 1)
    x = v.ln_pre(x)
    counter = 0
    for i, block in enumerate(v.transformer.resblocks):
        if i > 0 and counter < len(deep_vision):
            x = torch.cat([x[:, :x.shape[1] - n], deep_vision[counter].expand(b, -1, -1)], 1)
            counter += 1
        x = block(x)
    return v.ln_post(x[:, 0]) @ v.proj


def authors_logits(model, images):
    """CustomCLIP.forward: CLIP's logit scale times the cosine similarities."""
    ctx, shared_ctx, deep_text, deep_vision = authors_prompt_learner(model.prompt_learner)
    text = F.normalize(authors_text(model.clip, ctx, deep_text, CLASSES), dim=-1)
    image = F.normalize(authors_image(model.clip, shared_ctx, deep_vision, images), dim=-1)
    return model.clip.model.logit_scale.exp() * image @ text.t()


def test_logits_loss_and_gradients_equal_the_authors():
    model = build()
    model.train()
    images = torch.randn(4, 3, 64, 64)
    labels = torch.tensor([0, 1, 2, 1])
    ours = model.logits(images)
    ref = authors_logits(model, images)
    torch.testing.assert_close(ours, ref, rtol=0, atol=1e-4)
    assert ref.std() > 0.1  # the prompts matter: not a degenerate comparison
    loss = model.loss(images, [DataSample().set_gt_label(int(y)) for y in labels])['loss_ce']
    ref_loss = F.cross_entropy(ref, labels)  # CustomCLIP.forward in training
    torch.testing.assert_close(loss, ref_loss, rtol=0, atol=1e-4)
    params = list(model.prompt_learner.parameters())
    ours_grad = torch.autograd.grad(loss, params)
    ref_grad = torch.autograd.grad(ref_loss, params)
    for g, r in zip(ours_grad, ref_grad):
        assert g.abs().max() > 0
        torch.testing.assert_close(g, r, rtol=1e-3, atol=1e-5)


def test_vision_prompts_are_the_projected_text_prompts():
    torch.manual_seed(0)
    learner = MODELS.build(maple_cfg()).prompt_learner
    # the authors' init: the first map its own, the deeper ones clones of one map
    first, *deeper = learner.to_vision
    assert all(torch.equal(m.weight, deeper[0].weight) for m in deeper[1:])
    assert not torch.equal(first.weight, deeper[0].weight)
    assert first.weight.shape == (128, 64)  # text width 64 -> vision width 128
    vision, deep_text = learner.vision_prompts(), learner.text_prompts(CLASSES, build().clip)[2]
    assert sorted(vision.tokens) == [0, 1, 2] and vision.position == 'end'
    assert sorted(deep_text.tokens) == [1, 2] and deep_text.in_input and deep_text.position == 1
    torch.testing.assert_close(vision.tokens[2], learner.to_vision[2](learner.text_deep[1]))
    # coupled: an image-side loss trains the text prompts through the maps
    model = build()
    loss = model.image_feats(torch.randn(2, 3, 64, 64)).sum()
    grads = torch.autograd.grad(loss, [model.prompt_learner.ctx, *model.prompt_learner.text_deep])
    assert all(g.abs().max() > 0 for g in grads)
    # the phrase's words past n_ctx stay fixed words of the prompt ('of a' here)
    emb, eot, _ = model.prompt_learner.text_prompts(['dog'], model.clip)
    words = model.clip.token_embedding(model.clip.tokenize(['a photo of a dog.']))
    torch.testing.assert_close(emb[0, 3:int(eot[0]) + 1], words[0, 3:int(eot[0]) + 1])


def test_bad_depth_or_tokens_explain():
    with pytest.raises(ValueError, match='depth must be in \\[1, 4\\]'):
        MODELS.build(maple_cfg(depth=5))
    with pytest.raises(ValueError, match='depth_text must be in \\[1, 3\\]'):
        MODELS.build(maple_cfg(depth=4))  # ToyCLIP's text tower has 3 blocks
    with pytest.raises(ValueError, match='has only 4 tokens'):
        MODELS.build(maple_cfg(n_ctx=5))


def test_foundation_pass_is_plain_clip_after_training():
    model = build()
    plain = OpenCLIP(model_name=TOYCLIP_MODEL)
    plain.model.load_state_dict(model.clip.model.state_dict())
    before = [p.detach().clone() for p in model.prompt_learner.parameters()]
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=1.0))
    images = torch.randint(0, 256, (4, 3, 64, 64), dtype=torch.uint8)
    batch = dict(
        inputs=list(images), data_samples=[DataSample().set_gt_label(i % 3) for i in range(4)])
    model.train_step(batch, wrapper)
    assert all(not torch.equal(a, b) for a, b in zip(before, model.prompt_learner.parameters()))
    x = torch.randn(2, 3, 64, 64)
    assert torch.equal(model.foundation_image_feats(x), plain.encode_image(x))
    v = model.image_feats(x)
    assert torch.equal(model.foundation_image_feats(x, image_feats=v), plain.encode_image(x))
    assert not torch.allclose(v[:, 0], plain.encode_image(x), atol=1e-3)


def test_checkpoint_round_trip_and_recipe_mismatch(tmp_path):
    # every model is built on the same random CLIP (seed 0): the recipe names CLIP's weights
    model = build()
    state = model.state_dict()
    assert set(state) == {
        '_extra_state', 'prompt_learner.ctx', 'prompt_learner.text_deep.0',
        'prompt_learner.text_deep.1',
        *[f'prompt_learner.to_vision.{i}.{p}' for i in range(3) for p in ('weight', 'bias')]
    }
    torch.manual_seed(0)
    fresh = MODELS.build(maple_cfg())
    with torch.no_grad():
        for p in fresh.prompt_learner.parameters():
            p.zero_()
    fresh.load_state_dict(state, strict=True)
    fresh.set_class_list(CLASSES)
    x = torch.randn(2, 3, 64, 64)
    model.eval(), fresh.eval()
    torch.testing.assert_close(fresh.logits(x), model.logits(x))
    for change, diff in [(dict(depth=2), 'prompt_learner.depth: checkpoint 3, config 2'),
                         (dict(n_ctx=3), 'prompt_learner.n_ctx: checkpoint 2, config 3')]:
        torch.manual_seed(0)
        with pytest.raises(ValueError, match=diff):
            MODELS.build(maple_cfg(**change)).load_state_dict(state)
    # as FVG-PT's stage 1: another recipe or backbone is named with the stage-1 command
    path = str(tmp_path / 'epoch_5.pth')
    torch.save(dict(state_dict=state, meta=dict(dataset_meta=dict(classes=CLASSES))), path)
    torch.manual_seed(0)
    with pytest.raises(Stage1CheckpointError, match='depth: checkpoint 3, config 2') as err:
        FVGPT(
            backbone=maple_cfg(depth=2),
            backbone_ckpt=path,
            stage1_config='configs/maple/maple_b2n_toyworld.py')
    assert 'python tools/train.py configs/maple/maple_b2n_toyworld.py' in str(err.value)
    ivlp = dict(
        maple_cfg(),
        type='IVLP',
        prompt_learner=dict(
            type='IVLPPromptLearner', n_ctx_text=2, n_ctx_vision=2, depth_text=3, depth_vision=3))
    torch.manual_seed(0)
    with pytest.raises(Stage1CheckpointError, match="backbone: checkpoint 'MaPLe', config 'IVLP'"):
        FVGPT(backbone=ivlp, backbone_ckpt=path)
    torch.manual_seed(0)
    stage2 = FVGPT(backbone=maple_cfg(), backbone_ckpt=path)
    torch.testing.assert_close(stage2.backbone.prompt_learner.to_vision[1].weight,
                               model.prompt_learner.to_vision[1].weight)


def test_fvgpt_on_maple_scores_and_trains_its_heads_only():
    model = build()
    model.eval()
    fvgpt_model = MODELS.build(
        dict(
            type='FVGPT',
            backbone=model,
            test_branch='auto',
            base_head=dict(type='FDCHead', logit_scale=None)))
    with torch.no_grad():  # adapters at the identity: z_fdc is MaPLe's own logits
        for adapter in (fvgpt_model.base_head.image_adapter, fvgpt_model.base_head.text_adapter):
            adapter.up.weight.zero_()
    fvgpt_model.eval()
    images = torch.randn(3, 3, 64, 64)
    ref = authors_logits(model, images)
    with torch.no_grad():
        fvgpt_model.set_class_list(CLASSES, [TEMPLATE], subsample='base')
        base = fvgpt_model.branch_outputs(images)
        fvgpt_model.set_class_list(CLASSES, [TEMPLATE], subsample='new')
        new = fvgpt_model.branch_outputs(images)
    torch.testing.assert_close(base['logits_fdc'], ref, atol=1e-4, rtol=0)
    torch.testing.assert_close(new['logits_full'], ref, atol=1e-4, rtol=0)
    # z_clip: the prompt-free CLIP, not MaPLe's prompted image tower
    clip = model.clip.model
    zs_image = F.normalize(clip.encode_image(images), dim=-1)
    zs_text = model.foundation_text_feats(CLASSES, [TEMPLATE])
    torch.testing.assert_close(
        new['logits_clip'], clip.logit_scale.exp() * zs_image @ zs_text.t(), atol=1e-4, rtol=0)
    # one stage-2 step moves FVG-PT's heads and leaves the MaPLe prompts as they were
    fvgpt_model.set_class_list(CLASSES, [TEMPLATE], subsample='base')
    fvgpt_model.train()
    prompts = {n: p.detach().clone() for n, p in model.prompt_learner.named_parameters()}
    heads = {n: p.detach().clone() for n, p in fvgpt_model.named_parameters() if p.requires_grad}
    assert heads and not any(n.startswith('backbone.') for n in heads)
    wrapper = OptimWrapper(
        torch.optim.SGD([p for p in fvgpt_model.parameters() if p.requires_grad], lr=0.1))
    losses = fvgpt_model.train_step(make_batch(num=4, size=64), wrapper)
    assert all(torch.isfinite(v) for v in losses.values())
    assert all(torch.equal(p, prompts[n]) for n, p in model.prompt_learner.named_parameters())
    assert any(not torch.equal(p, heads[n]) for n, p in fvgpt_model.named_parameters()
               if n in heads)
