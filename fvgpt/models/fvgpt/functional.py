"""The distribution statistics FVG-PT's gates and losses are built from (METHOD.md, "Logits").

All functions take logits ``(B, C)`` and work in float32, whatever the input dtype (AMP).
"""
from typing import Optional

import torch
import torch.nn.functional as F


def softmax_t(logits: torch.Tensor, tau: float = 1.0) -> torch.Tensor:
    """``p = softmax(z / tau)`` over the last dimension."""
    return F.softmax(logits.float() / tau, dim=-1)


def entropy(logits: torch.Tensor, tau: float = 1.0) -> torch.Tensor:
    """Entropy ``H(p) = -sum_c p_c log p_c`` of ``p = softmax(z / tau)``, per row ``(B,)``."""
    log_p = F.log_softmax(logits.float() / tau, dim=-1)
    return -(log_p.exp() * log_p).sum(dim=-1)


def prob_cosine(logits_a: torch.Tensor, logits_b: torch.Tensor, tau: float = 1.0) -> torch.Tensor:
    """Cosine similarity of the probability vectors ``softmax(z_a / tau)`` and ``softmax(z_b /
    tau)``, per row ``(B,)``."""
    return F.cosine_similarity(softmax_t(logits_a, tau), softmax_t(logits_b, tau), dim=-1)


def kl_div_t(teacher: torch.Tensor, student: torch.Tensor, tau: float = 1.0) -> torch.Tensor:
    """``KL(softmax(teacher / tau) || softmax(student / tau))`` per row ``(B,)``.

    No ``tau ** 2`` factor here: the losses apply it where METHOD.md writes it.
    """
    log_p = F.log_softmax(teacher.float() / tau, dim=-1)
    log_q = F.log_softmax(student.float() / tau, dim=-1)
    return (log_p.exp() * (log_p - log_q)).sum(dim=-1)


def foreground_area(masks: torch.Tensor) -> torch.Tensor:
    """Foreground area fraction ``A(m) = mean(m)`` of binary masks ``(B, H, W)``, ``(B,)``."""
    return masks.flatten(1).float().mean(dim=1)


def reliable_masks(area: torch.Tensor,
                   valid: Optional[torch.Tensor] = None,
                   area_min: float = 0.02,
                   area_max: float = 0.98) -> torch.Tensor:
    """Which masks can be trusted, ``(B,)`` bool: valid and ``area_min <= A(m) <= area_max``.

    Args:
        area (Tensor): foreground area fractions ``(B,)``.
        valid (Tensor, optional): ``(B,)`` bool, False where the mask is missing. None: all valid.
        area_min (float): smallest trusted area fraction. Defaults to 0.02.
        area_max (float): largest trusted area fraction. Defaults to 0.98.
    """
    reliable = (area >= area_min) & (area <= area_max)
    if valid is not None:
        reliable = reliable & valid.to(device=area.device, dtype=torch.bool).view(-1)
    return reliable


def gate_target(z_full: torch.Tensor,
                z_fg: torch.Tensor,
                labels: torch.Tensor,
                delta: float = 0.0) -> torch.Tensor:
    """The FRG's target ``r* = 1[CE(z_fg) + delta < CE(z_full)]`` per sample, ``(B,)`` float:
    1 where the foreground view explains the label better than the full image."""
    ce_fg = F.cross_entropy(z_fg.float(), labels, reduction='none')
    ce_full = F.cross_entropy(z_full.float(), labels, reduction='none')
    return (ce_fg + delta < ce_full).float()
