"""The FVG-PT authors' computations (GitHub JREion/FVG-PT), restated plainly for tests.

Each function says which of the authors' files it restates. They run on the raw open_clip model
(``OpenCLIP.model``) with the authors' layout: full 77-token text sequences under the causal
mask (no cut at the end-of-text token), one plain loop over the transformer blocks, prompts
concatenated in and out by hand. Nothing here uses fvgpt's prompt code, so a test that compares
the two checks fvgpt against an independent computation.
"""
import math
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F


# ---------------------------------------------------------------------------- CLIP pieces
def causal_mask(length: int) -> torch.Tensor:
    """CLIP's additive causal mask: -inf above the diagonal (``build_attention_mask``)."""
    return torch.full((length, length), float('-inf')).triu_(1)


def tokenize(model_name: str, texts: Sequence[str]) -> torch.Tensor:
    import open_clip
    return open_clip.get_tokenizer(model_name)(list(texts))


def plain_text_features(model, tokens: torch.Tensor) -> torch.Tensor:
    """``clip_model.encode_text`` of the authors' ``clip/model.py``: normalized afterwards."""
    x = model.token_embedding(tokens) + model.positional_embedding
    for block in model.transformer.resblocks:
        x = block(x, attn_mask=causal_mask(x.shape[1]))
    x = model.ln_final(x)
    x = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)] @ model.text_projection
    return F.normalize(x, dim=-1)


def coop_prompt_embeddings(model, model_name: str, classnames: Sequence[str], ctx: torch.Tensor):
    """``PromptLearner.forward`` (CoOp/KgCoOp/IVLP): SOT, the context, then "name." and EOT.

    Returns:
        tuple: embeddings ``(C, 77, D)`` and the token ids of ``"X X .. X name."``.
    """
    n_ctx = ctx.shape[0]
    prompts = [' '.join(['X'] * n_ctx) + ' ' + c.replace('_', ' ') + '.' for c in classnames]
    tokens = tokenize(model_name, prompts)
    emb = model.token_embedding(tokens)
    ctx = ctx.unsqueeze(0).expand(len(classnames), -1, -1)
    return torch.cat([emb[:, :1], ctx, emb[:, 1 + n_ctx:]], dim=1), tokens


def prompted_text_features(
    model,
    embeddings: torch.Tensor,
    tokens: torch.Tensor,
    deep_prompts: Sequence[torch.Tensor] = ()) -> torch.Tensor:
    """``TextEncoder`` with ``ResidualAttentionBlock_IVLP`` (``clip/model.py``), normalized.

    Before block ``i >= 1`` for which ``deep_prompts[i - 1]`` exists, positions ``1 .. n`` (the
    previous layer's prompt outputs) are replaced by that layer's prompt.
    """
    x = embeddings + model.positional_embedding
    for i, block in enumerate(model.transformer.resblocks):
        if 1 <= i <= len(deep_prompts):
            p = deep_prompts[i - 1]
            p = p.unsqueeze(0).expand(x.shape[0], -1, -1)
            x = torch.cat([x[:, :1], p, x[:, 1 + p.shape[1]:]], dim=1)
        x = block(x, attn_mask=causal_mask(x.shape[1]))
    x = model.ln_final(x)
    x = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)] @ model.text_projection
    return F.normalize(x, dim=-1)


def plain_image_features(model, images: torch.Tensor) -> torch.Tensor:
    """The frozen image encoder, normalized."""
    return F.normalize(model.encode_image(images), dim=-1)


# ---------------------------------------------------------------------------- KgCoOp
def kgcoop_loss(model, model_name: str, classnames: Sequence[str], ctx: torch.Tensor,
                images: torch.Tensor, labels: torch.Tensor, hand_template: str, weight: float):
    """``trainers/kgcoop.py``: ``CustomCLIP.forward`` and ``forward_backward`` (fp32 path).

    Returns:
        tuple: logits ``(B, C)``, cross-entropy, the score ``1 - mean cos(w, u)``, and the total
        ``CE + W * score``.
    """
    emb, tokens = coop_prompt_embeddings(model, model_name, classnames, ctx)
    text = prompted_text_features(model, emb, tokens)
    image = plain_image_features(model, images)
    logits = model.logit_scale.exp() * image @ text.t()
    hand = plain_text_features(
        model, tokenize(model_name,
                        [hand_template.format(c.replace('_', ' ')) for c in classnames]))
    score = 1.0 - torch.nn.CosineSimilarity(dim=1, eps=1e-07)(text, hand).mean()
    ce = F.cross_entropy(logits, labels)
    return logits, ce, score, ce + weight * score


# ---------------------------------------------------------------------------- PromptSRC GPA
def gpa_epoch_weights(num_epochs: int, mean: float, std: float) -> List[float]:
    """``PromptSRC.build_model``: the Gaussian density at epochs 1..N, divided by its sum."""
    density = [
        math.exp(-0.5 * ((e - mean) / std)**2) / (std * math.sqrt(2 * math.pi))
        for e in range(1, num_epochs + 1)
    ]
    total = sum(density)
    return [d / total for d in density]


# ---------------------------------------------------------------------------- IVLP / PromptSRC
def patch_tokens(visual, images: torch.Tensor) -> torch.Tensor:
    """``VisionTransformer.forward`` up to the positional embedding: ``[CLS, patches]``."""
    x = visual.conv1(images)
    x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
    cls = visual.class_embedding + torch.zeros(x.shape[0], 1, x.shape[-1])
    return torch.cat([cls, x], dim=1) + visual.positional_embedding


def ivlp_image_features(
    model,
    images: torch.Tensor,
    first_prompt: torch.Tensor,
    deep_prompts: Sequence[torch.Tensor] = ()) -> torch.Tensor:
    """``VisionTransformer`` with ``VPT_shallow`` and ``ResidualAttentionBlock_IVLP``.

    The first-layer prompt is appended after the patch tokens, before ``ln_pre``; before block
    ``i >= 1`` for which ``deep_prompts[i - 1]`` exists the last ``n`` tokens are replaced by it.
    Normalized.
    """
    visual = model.visual
    x = patch_tokens(visual, images)
    x = torch.cat([x, first_prompt.unsqueeze(0).expand(x.shape[0], -1, -1)], dim=1)
    x = visual.ln_pre(x)
    for i, block in enumerate(visual.transformer.resblocks):
        if 1 <= i <= len(deep_prompts):
            p = deep_prompts[i - 1]
            x = torch.cat(
                [x[:, :x.shape[1] - p.shape[0]],
                 p.unsqueeze(0).expand(x.shape[0], -1, -1)], dim=1)
        x = block(x)
    x = visual.ln_post(x[:, 0]) @ visual.proj
    return F.normalize(x, dim=-1)


def promptsrc_teacher_text_features(model, model_name: str, classnames: Sequence[str],
                                    templates: Sequence[str]) -> torch.Tensor:
    """``VLPromptLearner.__init__`` (``trainers/promptsrc.py``): the frozen CLIP's text features
    of every template, *unnormalized*, averaged over the templates; normalized at use."""
    names = [c.replace('_', ' ') for c in classnames]
    per_template = []
    for template in templates:
        tokens = tokenize(model_name, [template.replace('{}', n) for n in names])
        x = model.token_embedding(tokens) + model.positional_embedding
        for block in model.transformer.resblocks:
            x = block(x, attn_mask=causal_mask(x.shape[1]))
        x = model.ln_final(x)
        per_template.append(
            x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)] @ model.text_projection)
    return F.normalize(torch.stack(per_template, dim=1).mean(dim=1), dim=-1)


def promptsrc_losses(model,
                     model_name: str,
                     classnames: Sequence[str],
                     images: torch.Tensor,
                     labels: torch.Tensor,
                     text_ctx: torch.Tensor,
                     text_deep: Sequence[torch.Tensor],
                     vision_first: torch.Tensor,
                     vision_deep: Sequence[torch.Tensor],
                     templates: Sequence[str],
                     text_weight: float = 25.0,
                     image_weight: float = 10.0) -> dict:
    """``CustomCLIP.forward`` (training) and ``PromptSRC.forward_backward`` (fp32 path)."""
    emb, tokens = coop_prompt_embeddings(model, model_name, classnames, text_ctx)
    text = prompted_text_features(model, emb, tokens, text_deep)
    image = ivlp_image_features(model, images, vision_first, vision_deep)
    scale = model.logit_scale.exp()
    logits = scale * image @ text.t()
    teacher_text = promptsrc_teacher_text_features(model, model_name, classnames, templates)
    zs_image = plain_image_features(model, images)
    zs_logits = scale * zs_image @ teacher_text.t()
    ce = F.cross_entropy(logits, labels)
    l1_text = F.l1_loss(text, teacher_text, reduction='mean') * text_weight
    l1_image = F.l1_loss(image, zs_image, reduction='mean') * image_weight
    kl = F.kl_div(
        F.log_softmax(logits, dim=1),
        F.log_softmax(zs_logits, dim=1),
        reduction='sum',
        log_target=True) / logits.numel()
    return dict(
        logits=logits,
        ce=ce,
        l1_text=l1_text,
        l1_image=l1_image,
        kl=kl,
        total=ce + kl + l1_text + l1_image)


# ---------------------------------------------------------------------------- MMRL
def mmrl_rep_tokens(rep: torch.Tensor, to_text: Sequence[torch.nn.Linear],
                    to_visual: Sequence[torch.nn.Linear]):
    """``MultiModalRepresentationLearner.forward``: one projection of ``R`` per layer."""
    return [lin(rep) for lin in to_text], [lin(rep) for lin in to_visual]


def mmrl_text_features(model, model_name: str, classnames: Sequence[str], template: str,
                       rep_layers: Sequence[int], text_tokens: List[torch.Tensor]):
    """``TextEncoder_MMRL`` with the MMRL ``ResidualAttentionBlock`` (``clip_mmrl/
    model_mmrl.py``): the hand prompt; before layer ``rep_layers[0]`` (1-based) the ``n`` tokens
    are inserted after SOT, before later listed layers they replace positions ``1..n``; from
    the first listed layer on, the causal mask covers the longer sequence; the feature is read
    at ``eot + n``. Normalized."""
    tokens = tokenize(model_name, [template.format(c.replace('_', ' ')) for c in classnames])
    x = model.token_embedding(tokens) + model.positional_embedding
    n = text_tokens[0].shape[0]
    counter = 0
    for i, block in enumerate(model.transformer.resblocks):
        layer = i + 1
        if layer in rep_layers:
            t = text_tokens[counter].unsqueeze(0).expand(x.shape[0], -1, -1)
            rest = x[:, 1:] if layer == rep_layers[0] else x[:, 1 + n:]
            x = torch.cat([x[:, :1], t, rest], dim=1)
            counter += 1
        x = block(x, attn_mask=causal_mask(x.shape[1]))
    x = model.ln_final(x)
    x = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1) + n] @ model.text_projection
    return F.normalize(x, dim=-1)


def mmrl_image_features(model, images: torch.Tensor, rep_layers: Sequence[int],
                        visual_tokens: List[torch.Tensor], proj_rep: torch.Tensor):
    """The MMRL ``VisionTransformer``: representation tokens inserted after CLS before layer
    ``rep_layers[0]`` and replaced before later listed layers; returns the normalized class-token
    feature and the normalized mean of the ``ln_post``-ed representation tokens @ ``proj_rep``."""
    visual = model.visual
    x = visual.ln_pre(patch_tokens(visual, images))
    n = visual_tokens[0].shape[0]
    counter = 0
    for i, block in enumerate(visual.transformer.resblocks):
        layer = i + 1
        if layer in rep_layers:
            v = visual_tokens[counter].unsqueeze(0).expand(x.shape[0], -1, -1)
            rest = x[:, 1:] if layer == rep_layers[0] else x[:, 1 + n:]
            x = torch.cat([x[:, :1], v, rest], dim=1)
            counter += 1
        x = block(x)
    x_rep = visual.ln_post(x[:, 1:1 + n]).mean(dim=1) @ proj_rep
    x_cls = visual.ln_post(x[:, 0]) @ visual.proj
    return F.normalize(x_cls, dim=-1), F.normalize(x_rep, dim=-1)


def mmrl_forward(model,
                 model_name: str,
                 classnames: Sequence[str],
                 template: str,
                 images: torch.Tensor,
                 labels: Optional[torch.Tensor],
                 rep: torch.Tensor,
                 to_text,
                 to_visual,
                 proj_rep: torch.Tensor,
                 rep_layers: Sequence[int],
                 alpha: float = 0.7,
                 reg_weight: float = 1.0) -> dict:
    """``CustomCLIP.forward``, ``MMRL_Loss`` and ``MMRL.test`` (``trainers/mmrl.py``), fp32.

    Logits use the fixed scale 100 (not CLIP's logit scale). B2N inference: base classes are
    scored by ``logits_fusion``, new classes by the class-token ``logits`` alone.
    """
    text_tokens, visual_tokens = mmrl_rep_tokens(rep, to_text, to_visual)
    text = mmrl_text_features(model, model_name, classnames, template, rep_layers, text_tokens)
    image, image_rep = mmrl_image_features(model, images, rep_layers, visual_tokens, proj_rep)
    logits = 100. * image @ text.t()
    logits_rep = 100. * image_rep @ text.t()
    fusion = alpha * logits + (1 - alpha) * logits_rep
    out = dict(
        logits=logits,
        logits_rep=logits_rep,
        logits_fusion=fusion,
        image=image,
        image_rep=image_rep,
        text=text)
    if labels is not None:
        image_clip = plain_image_features(model, images)
        text_clip = plain_text_features(
            model, tokenize(model_name, [template.format(c.replace('_', ' ')) for c in classnames]))
        out['ce'] = F.cross_entropy(logits, labels)
        out['ce_rep'] = F.cross_entropy(logits_rep, labels)
        out['reg_image'] = 1 - torch.mean(F.cosine_similarity(image, image_clip, dim=1))
        out['reg_text'] = 1 - torch.mean(F.cosine_similarity(text, text_clip, dim=1))
        out['total'] = (
            alpha * out['ce'] + (1 - alpha) * out['ce_rep'] + reg_weight * out['reg_image'] +
            reg_weight * out['reg_text'])
    return out
