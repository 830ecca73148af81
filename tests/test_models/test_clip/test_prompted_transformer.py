"""Deep prompts as call arguments of OpenCLIP: no-prompt calls are exactly open_clip; prompted
calls equal a plain restatement of 'insert / replace the span before the prompted blocks'."""
import copy

import open_clip
import pytest
import torch
from open_clip.transformer import Transformer

from fvgpt.models.clip import DeepPrompts, OpenCLIP
from fvgpt.testing import TINY_CLIP_NAME
from fvgpt.toyworld import TOYCLIP_MODEL

MODELS = [TINY_CLIP_NAME, TOYCLIP_MODEL]


def build(name):
    torch.manual_seed(0)
    return OpenCLIP(model_name=name)


def images_for(clip, num=3):
    return torch.randn(num, 3, clip.image_size, clip.image_size)


@pytest.mark.parametrize('name', MODELS)
def test_no_prompt_calls_are_exactly_open_clip(name):
    clip = build(name)
    x = images_for(clip)
    ref = clip.model.encode_image(x)
    assert torch.equal(clip.encode_image(x, normalize=False), ref)
    # the block-by-block path without prompts is the same computation, bit for bit
    feats, span = clip.encode_image(x, normalize=False, return_prompt_tokens=True)
    assert span is None and torch.equal(feats, ref)
    tokens = clip.tokenize(['a photo of a dog.', 'a cat.', 'itap of a very large red car.'])
    ref_text = clip.model.encode_text(tokens)
    ours = clip.encode_text(tokens, normalize=False)  # cut after the last end-of-text
    torch.testing.assert_close(ours, ref_text, rtol=1e-6, atol=1e-6)


def test_seq_first_transformers_run_the_same():
    """open_clip can build (L, N, D) blocks: the block runner follows the module's layout."""
    clip = build(TINY_CLIP_NAME)
    visual = clip.model.visual
    seq_first = Transformer(
        visual.transformer.width, visual.transformer.layers, heads=2, batch_first=False)
    seq_first.load_state_dict(visual.transformer.state_dict())
    visual.transformer = seq_first.eval().requires_grad_(False)
    x = images_for(clip)
    ref = clip.model.encode_image(x)  # open_clip's own seq-first forward
    feats, _ = clip.encode_image(x, normalize=False, return_prompt_tokens=True)
    torch.testing.assert_close(feats, ref, rtol=1e-6, atol=1e-6)
    prompts = DeepPrompts({0: torch.randn(2, 64), 1: torch.randn(2, 64)}, position='end')
    batch_first = build(TINY_CLIP_NAME)
    torch.testing.assert_close(
        clip.encode_image(x, prompts=prompts),
        batch_first.encode_image(x, prompts=prompts),
        rtol=1e-5,
        atol=1e-6)


def reference_visual(clip, x, plan):
    """Plain restatement: ``plan[i] = (tokens, 'insert'|'replace', start)`` before block i;
    block-0 inserts pass ln_pre; the span is removed before ln_post / pooling."""
    v = clip.model.visual
    h = v.conv1(x).flatten(2).transpose(1, 2)
    h = torch.cat([v.class_embedding.expand(h.shape[0], 1, -1), h], 1) + v.positional_embedding
    span = None
    if 0 in plan and plan[0][1] == 'insert':
        tokens, _, start = plan[0]
        h = torch.cat([h[:, :start], tokens.expand(h.shape[0], -1, -1), h[:, start:]], 1)
        h = v.ln_pre(h)
        span = (start, tokens.shape[0])
    else:
        h = v.ln_pre(h)
    for i, block in enumerate(v.transformer.resblocks):
        if i in plan and not (i == 0 and plan[0][1] == 'insert'):
            tokens, how, start = plan[i]
            n = tokens.shape[0]
            cut = start + n if how == 'replace' else start
            h = torch.cat([h[:, :start], tokens.expand(h.shape[0], -1, -1), h[:, cut:]], 1)
            span = (start, n)
        h = block(h)
    start, n = span
    out_span = h[:, start:start + n]
    h = torch.cat([h[:, :start], h[:, start + n:]], 1)
    return v.ln_post(h[:, 0]) @ v.proj, out_span


@pytest.mark.parametrize('name', MODELS)
def test_ivlp_style_visual_prompts(name):
    clip = build(name)
    width = clip.model.visual.transformer.width
    x = images_for(clip)
    layers = len(clip.model.visual.transformer.resblocks)
    tokens = {i: torch.randn(3, width) for i in range(layers - 1)}  # all but the last block
    grid = (clip.image_size // clip.model.visual.patch_size[0])**2
    plan = {0: (tokens[0], 'insert', grid + 1)}
    plan.update({i: (tokens[i], 'replace', grid + 1) for i in range(1, layers - 1)})
    ref, ref_span = reference_visual(clip, x, plan)
    ours, span = clip.encode_image(
        x, normalize=False, return_prompt_tokens=True, prompts=DeepPrompts(tokens, position='end'))
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(span, ref_span, rtol=1e-5, atol=1e-5)
    assert not torch.allclose(ours, clip.model.encode_image(x), atol=1e-3)


def test_mmrl_style_tokens_inserted_after_the_class_token_at_a_later_block():
    clip = build(TOYCLIP_MODEL)  # 4 blocks
    width = clip.model.visual.transformer.width
    x = images_for(clip)
    tokens = {2: torch.randn(5, width), 3: torch.randn(5, width)}
    plan = {2: (tokens[2], 'insert', 1), 3: (tokens[3], 'replace', 1)}
    ref, ref_span = reference_visual(clip, x, plan)
    ours, span = clip.encode_image(
        x, normalize=False, return_prompt_tokens=True, prompts=DeepPrompts(tokens, position=1))
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(span, ref_span, rtol=1e-5, atol=1e-5)
    assert span.shape == (3, 5, width)


def reference_text(clip, embeddings, eot, plan):
    """Plain restatement on all 77 positions (no cut) with a causal mask of the current length:
    ``plan[i] = (tokens, 'insert'|'replace', start)`` before block i."""
    m = clip.model
    h = embeddings + m.positional_embedding
    for i, block in enumerate(m.transformer.resblocks):
        if i in plan:
            tokens, how, start = plan[i]
            n = tokens.shape[0]
            cut = start + n if how == 'replace' else start
            h = torch.cat([h[:, :start], tokens.expand(h.shape[0], -1, -1), h[:, cut:]], 1)
            if how == 'insert':
                eot = eot + n
        size = h.shape[1]
        mask = torch.full((size, size), float('-inf')).triu(1)
        h = block(h, attn_mask=mask)
    h = m.ln_final(h)
    return h[torch.arange(h.shape[0]), eot] @ m.text_projection


@pytest.mark.parametrize('name', MODELS)
def test_ivlp_style_text_prompts_replace_the_context(name):
    clip = build(name)
    tokens = clip.tokenize(['X X X X dog.', 'X X X X big red car.'])
    eot = clip.eot_indices(tokens)
    emb = clip.token_embedding(tokens)
    deep = {i: torch.randn(4, clip.text_width) for i in range(1, 2)}
    plan = {i: (t, 'replace', 1) for i, t in deep.items()}
    ref = reference_text(clip, emb, eot, plan)
    ours = clip.encode_text_embeddings(
        emb, eot, normalize=False, prompts=DeepPrompts(deep, position=1, in_input=True))
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)


def test_mmrl_style_text_tokens_keep_the_causal_cut():
    clip = build(TOYCLIP_MODEL)  # 3 text blocks
    tokens = clip.tokenize(['a photo of a dog.', 'a photo of a big red car.'])
    eot = clip.eot_indices(tokens)
    emb = clip.token_embedding(tokens)
    deep = {1: torch.randn(5, clip.text_width), 2: torch.randn(5, clip.text_width)}
    plan = {1: (deep[1], 'insert', 1), 2: (deep[2], 'replace', 1)}
    ref = reference_text(clip, emb, eot, plan)
    ours = clip.encode_text_embeddings(
        emb, eot, normalize=False, prompts=DeepPrompts(deep, position=1))
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
    # a prompt's feature does not depend on the other prompts of the batch (cut per batch)
    alone = clip.encode_text_embeddings(
        emb[:1], eot[:1], normalize=False, prompts=DeepPrompts(deep, position=1))
    torch.testing.assert_close(alone, ref[:1], rtol=1e-5, atol=1e-5)


def test_prompts_are_arguments_not_state():
    clip = build(TINY_CLIP_NAME)
    state = copy.deepcopy(clip.model.state_dict())
    x = images_for(clip)
    plain = clip.model.encode_image(x)
    prompts = DeepPrompts({0: torch.randn(2, 64, requires_grad=True)}, position='end')
    clip.encode_image(x, prompts=prompts).sum().backward()
    assert prompts.tokens[0].grad is not None  # gradients reach the caller's prompts
    assert torch.equal(clip.encode_image(x, normalize=False), plain)
    assert all(torch.equal(v, state[k]) for k, v in clip.model.state_dict().items())
    assert all(p.grad is None for p in clip.model.parameters())


def test_bad_prompts_explain():
    clip = build(TINY_CLIP_NAME)
    x = images_for(clip)
    with pytest.raises(ValueError, match='2 blocks'):
        clip.encode_image(x, prompts=DeepPrompts({2: torch.randn(2, 64)}, position='end'))
    with pytest.raises(ValueError, match='same number of prompt tokens'):
        DeepPrompts({0: torch.randn(2, 64), 1: torch.randn(3, 64)})
    tokens = clip.tokenize(['X X dog.'])
    eot = clip.eot_indices(tokens)
    with pytest.raises(ValueError, match='before the first end-of-text'):
        clip.encode_text_embeddings(
            clip.token_embedding(tokens),
            eot,
            prompts=DeepPrompts({1: torch.randn(6, 64)}, in_input=True))
    with pytest.raises(ValueError, match='int position'):
        clip.encode_text_embeddings(
            clip.token_embedding(tokens),
            eot,
            prompts=DeepPrompts({1: torch.randn(2, 64)}, position='end'))


def test_average_pooled_vit_pools_clip_tokens_only():
    """Any open_clip ViT: with 'avg' pooling the prompt span is taken out before pooling."""
    clip = build(TINY_CLIP_NAME)
    cfg = open_clip.get_model_config(TINY_CLIP_NAME)
    torch.manual_seed(0)
    clip.model = open_clip.model.CLIP(
        embed_dim=cfg['embed_dim'],
        vision_cfg=dict(cfg['vision_cfg'], pool_type='avg'),
        text_cfg=cfg['text_cfg']).eval().requires_grad_(False)
    x = images_for(clip)
    assert torch.equal(
        clip.encode_image(x, normalize=False, return_prompt_tokens=True)[0],
        clip.model.encode_image(x))
    tokens = torch.randn(2, 64)
    v = clip.model.visual
    h = v.conv1(x).flatten(2).transpose(1, 2)
    h = torch.cat([v.class_embedding.expand(3, 1, -1), h], 1) + v.positional_embedding
    h = v.ln_pre(torch.cat([h, tokens.expand(3, -1, -1)], 1))
    for block in v.transformer.resblocks:
        h = block(h)
    ref = v.ln_post(h[:, :-2])[:, 1:].mean(1) @ v.proj  # patch tokens only, not the prompts
    ours = clip.encode_image(x, normalize=False, prompts=DeepPrompts({0: tokens}, position='end'))
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
