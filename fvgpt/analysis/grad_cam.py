"""Grad-CAM on the patch tokens of a ViT block."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F


def grad_cam(tokens: torch.Tensor,
             grads: torch.Tensor,
             grid: Tuple[int, int],
             size: Optional[Tuple[int, int]] = None) -> torch.Tensor:
    """Grad-CAM maps from patch tokens and the gradient of a class score with respect to them.

    Each token channel is a feature map over the patch grid; its weight is the mean of its
    gradient over the patches, the map is the ReLU of the weighted sum of the channels
    (Selvaraju et al., 2017, with tokens as the activations).

    Args:
        tokens (Tensor): patch tokens ``(B, P, D)``, in grid row-major order.
        grads (Tensor): their gradients ``(B, P, D)``.
        grid (tuple[int, int]): patch grid ``(h, w)`` with ``h * w = P``.
        size (tuple[int, int], optional): upsample (bilinear) to this ``(H, W)``.

    Returns:
        Tensor: maps ``(B, h, w)``, or ``(B, H, W)`` with ``size``; non-negative.
    """
    if tokens.shape != grads.shape or tokens.dim() != 3:
        raise ValueError(f'tokens and grads must both be (B, P, D), got {tuple(tokens.shape)} '
                         f'and {tuple(grads.shape)}.')
    if grid[0] * grid[1] != tokens.shape[1]:
        raise ValueError(f'A {grid[0]}x{grid[1]} grid needs {grid[0] * grid[1]} patch tokens, '
                         f'got {tokens.shape[1]}.')
    weights = grads.float().mean(dim=1, keepdim=True)
    cam = F.relu((weights * tokens.float()).sum(dim=-1))
    return upsample_maps(cam.view(-1, *grid), size)


def upsample_maps(maps: torch.Tensor, size: Optional[Tuple[int, int]]) -> torch.Tensor:
    """``(B, h, w)`` maps resized (bilinear, half-pixel centres) to ``size``; as is without."""
    if size is None or tuple(maps.shape[-2:]) == tuple(size):
        return maps
    return F.interpolate(
        maps[:, None], size=tuple(size), mode='bilinear', align_corners=False)[:, 0]
