"""The class token's attention over the patches, recomputed from a block's own weights."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def cls_attention(block: nn.Module, block_input: torch.Tensor,
                  patch_index: torch.Tensor) -> torch.Tensor:
    """Attention of the class token (query 0) over the patch tokens, averaged over the heads.

    Recomputed from the block's ``ln_1`` and its attention's input projection (an open_clip
    ``ResidualAttentionBlock`` with ``nn.MultiheadAttention``): ``softmax(q_cls k^T / sqrt(d_h))``
    over the whole sequence (class token and any prompt tokens included), then the patch columns.
    It equals the weights ``nn.MultiheadAttention`` returns with ``need_weights=True``.

    Args:
        block (nn.Module): the block.
        block_input (Tensor): its input, batch-first ``(B, L, D)``.
        patch_index (Tensor): positions of the patch tokens in the sequence ``(P,)``.

    Returns:
        Tensor: ``(B, P)`` attention weights of the patches.
    """
    attn = getattr(block, 'attn', None)
    if not isinstance(attn, nn.MultiheadAttention) or not hasattr(block, 'ln_1') or (
            attn.in_proj_weight is None or attn.bias_k is not None or attn.add_zero_attn):
        raise NotImplementedError(
            f'The CLS-attention map needs an open_clip ResidualAttentionBlock (ln_1 and a plain '
            f'nn.MultiheadAttention with a packed in_proj); got {type(block).__name__} with '
            f'{type(attn).__name__}. Use the Grad-CAM map instead.')
    x = block.ln_1(block_input)
    dim, heads = attn.embed_dim, attn.num_heads
    head_dim = dim // heads
    weight, bias = attn.in_proj_weight, attn.in_proj_bias
    q = F.linear(x[:, :1], weight[:dim], None if bias is None else bias[:dim])
    k = F.linear(x, weight[dim:2 * dim], None if bias is None else bias[dim:2 * dim])
    batch, length = x.shape[:2]
    q = q.view(batch, 1, heads, head_dim).transpose(1, 2).float()
    k = k.view(batch, length, heads, head_dim).transpose(1, 2).float()
    weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(head_dim), dim=-1)
    return weights.mean(dim=1)[:, 0, patch_index.to(x.device)]
