"""IVLP against a plain restatement of the authors' computation (JREion/FVG-PT
trainers/independentVL.py with clip/model.py's IVLP blocks), on the same random tiny weights."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper
from mmpretrain.structures import DataSample

from fvgpt.models.clip import OpenCLIP
from fvgpt.models.fvgpt import FVGPT, Stage1CheckpointError
from fvgpt.registry import MODELS
from fvgpt.toyworld import TOYCLIP_MODEL

CLASSES = ['red circle', 'green_square', 'blue star']


def ivlp_cfg(**learner):
    prompts = dict(
        type='IVLPPromptLearner',
        n_ctx_text=2,
        n_ctx_vision=3,
        depth_text=3,
        depth_vision=3,
        ctx_init='a photo of a')
    prompts.update(learner)
    return dict(
        type='IVLP', clip=dict(type='OpenCLIP', model_name=TOYCLIP_MODEL), prompt_learner=prompts)


def build(**learner):
    torch.manual_seed(0)
    model = MODELS.build(ivlp_cfg(**learner))
    with torch.no_grad():  # the authors cast every deep prompt to fp16 inside their blocks
        for p in model.prompt_learner.parameters():
            p.copy_(p.half().float())
    model.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    return model


def authors_text(clip, learner, classnames):
    """VLPromptLearner + TextEncoder: prompt 'a photo of a <name>.' whose first n_ctx tokens
    after SOT are the learned context; deep context replaces positions 1..n_ctx before text
    blocks 1..depth-1 (rounded to fp16); all 77 positions, causal mask; EOT = argmax token."""
    m = clip.model
    n = learner.n_ctx_text
    tokens = clip.tokenize([f'a photo of a {c.replace("_", " ")}.' for c in classnames])
    emb = m.token_embedding(tokens)
    x = torch.cat([emb[:, :1], learner.ctx.expand(len(classnames), -1, -1), emb[:, 1 + n:]], 1)
    x = x + m.positional_embedding
    mask = torch.full((77, 77), float('-inf')).triu(1)
    for i, block in enumerate(m.transformer.resblocks):
        if 1 <= i < learner.depth_text:
            deep = learner.text_deep[i - 1].half().float().expand(len(classnames), -1, -1)
            x = torch.cat([x[:, :1], deep, x[:, 1 + n:]], 1)
        x = block(x, attn_mask=mask)
    x = m.ln_final(x)
    return x[torch.arange(len(classnames)), tokens.argmax(-1)] @ m.text_projection


def authors_image(clip, learner, images):
    """VisionTransformer with VPT: prompts appended after the positional embedding (before
    ln_pre), the last n tokens replaced before blocks 1..depth-1; CLS token pooled."""
    v = clip.model.visual
    b = images.shape[0]
    x = v.conv1(images).flatten(2).transpose(1, 2)
    x = torch.cat([v.class_embedding.expand(b, 1, -1), x], 1) + v.positional_embedding
    x = torch.cat([x, learner.vision[0].half().float().expand(b, -1, -1)], 1)
    x = v.ln_pre(x)
    n = learner.n_ctx_vision
    for i, block in enumerate(v.transformer.resblocks):
        if 1 <= i < learner.depth_vision:
            x = torch.cat([x[:, :-n], learner.vision[i].half().float().expand(b, -1, -1)], 1)
        x = block(x)
    return v.ln_post(x[:, 0]) @ v.proj


def authors_logits(model, images):
    text = F.normalize(authors_text(model.clip, model.prompt_learner, CLASSES), dim=-1)
    image = F.normalize(authors_image(model.clip, model.prompt_learner, images), dim=-1)
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
    ref_loss = F.cross_entropy(ref, labels)
    torch.testing.assert_close(loss, ref_loss, rtol=0, atol=1e-4)
    params = list(model.prompt_learner.parameters())
    ours_grad = torch.autograd.grad(loss, params)
    ref_grad = torch.autograd.grad(ref_loss, params)
    for g, r in zip(ours_grad, ref_grad):
        assert g.abs().max() > 0
        torch.testing.assert_close(g, r, rtol=1e-3, atol=1e-5)


def test_fixed_words_of_ctx_init_stay_in_the_prompt():
    model = build()  # n_ctx_text=2 of 'a photo of a': 'of a' stays a fixed part of the prompt
    clip = model.clip
    emb, eot, deep = model.prompt_learner.text_prompts(['dog'], clip)
    words = clip.token_embedding(clip.tokenize(['a photo of a dog.']))
    torch.testing.assert_close(emb[0, 3:int(eot[0]) + 1], words[0, 3:int(eot[0]) + 1])
    assert sorted(deep.tokens) == [1, 2] and deep.in_input
    assert sorted(model.prompt_learner.vision_prompts().tokens) == [0, 1, 2]
    with pytest.raises(ValueError, match='has only 4 tokens'):
        MODELS.build(ivlp_cfg(n_ctx_text=5))


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
    # and with its own (prompted) features at hand, it still does not reuse them
    v = model.image_feats(x)
    assert torch.equal(model.foundation_image_feats(x, image_feats=v), plain.encode_image(x))
    assert not torch.allclose(v[:, 0], plain.encode_image(x), atol=1e-3)


def test_checkpoint_round_trip_and_recipe_mismatch(tmp_path):
    # Every model below is built on the same random CLIP (seed 0): the recipe names CLIP's
    # weights by hash, so prompts tuned on other random weights would not load.
    torch.manual_seed(0)
    model = build()
    state = model.state_dict()
    assert set(state) == {
        '_extra_state', 'prompt_learner.ctx', 'prompt_learner.text_deep.0',
        'prompt_learner.text_deep.1', 'prompt_learner.vision.0', 'prompt_learner.vision.1',
        'prompt_learner.vision.2'
    }
    torch.manual_seed(0)  # the same random CLIP (not in checkpoints), other prompts
    fresh = MODELS.build(ivlp_cfg())
    with torch.no_grad():
        for p in fresh.prompt_learner.parameters():
            p.zero_()
    fresh.load_state_dict(state, strict=True)
    fresh.set_class_list(CLASSES)
    x = torch.randn(2, 3, 64, 64)
    model.eval(), fresh.eval()
    torch.testing.assert_close(fresh.logits(x), model.logits(x))
    shallower = MODELS.build(ivlp_cfg(depth_vision=2))
    with pytest.raises(ValueError, match='prompt_learner.depth_vision: checkpoint 3, config 2'):
        shallower.load_state_dict(state)
    # as a stage-1 checkpoint of FVG-PT: the other recipe is named with the stage-1 command
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=state, meta=dict(dataset_meta=dict(classes=CLASSES))), path)
    with pytest.raises(Stage1CheckpointError, match='n_ctx_text: checkpoint 2, config 4') as err:
        FVGPT(
            backbone=ivlp_cfg(n_ctx_text=4),
            backbone_ckpt=path,
            stage1_config='configs/ivlp/ivlp_b2n_toyworld.py')
    assert 'python tools/train.py configs/ivlp/ivlp_b2n_toyworld.py' in str(err.value)
    with pytest.raises(
            Stage1CheckpointError, match="backbone: checkpoint 'IVLP', config "
            "'CoOp'"):
        FVGPT(
            backbone=dict(type='CoOp', clip=dict(type='OpenCLIP', model_name=TOYCLIP_MODEL)),
            backbone_ckpt=path)
    torch.manual_seed(0)
    stage2 = FVGPT(backbone=ivlp_cfg(), backbone_ckpt=path)
    assert stage2.base_classnames == CLASSES
    torch.testing.assert_close(stage2.backbone.prompt_learner.vision[2],
                               model.prompt_learner.vision[2])
