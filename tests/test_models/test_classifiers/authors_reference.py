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


def coop_prompt_embeddings(model, model_name: str, classnames: Sequence[str],
                           ctx: torch.Tensor):
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


def prompted_text_features(model, embeddings: torch.Tensor, tokens: torch.Tensor,
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
                images: torch.Tensor, labels: torch.Tensor, hand_template: str,
                weight: float):
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
        model, tokenize(model_name, [hand_template.format(c.replace('_', ' '))
                                     for c in classnames]))
    score = 1.0 - torch.nn.CosineSimilarity(dim=1, eps=1e-07)(text, hand).mean()
    ce = F.cross_entropy(logits, labels)
    return logits, ce, score, ce + weight * score


# ---------------------------------------------------------------------------- PromptSRC GPA
def gpa_epoch_weights(num_epochs: int, mean: float, std: float) -> List[float]:
    """``PromptSRC.build_model``: the Gaussian density at epochs 1..N, divided by its sum."""
    density = [math.exp(-0.5 * ((e - mean) / std) ** 2) / (std * math.sqrt(2 * math.pi))
               for e in range(1, num_epochs + 1)]
    total = sum(density)
    return [d / total for d in density]
