"""Supervision of the Foreground Reliability Gate: trust the foreground view where it helps."""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from fvgpt.registry import MODELS
from .functional import gate_target


@MODELS.register_module()
class GateSupervisionLoss(nn.Module):
    """``L_gate = BCE(r, r*)``, ``r* = 1[CE(z_fg) + delta < CE(z_full)]``, weighted by
    ``loss_weight`` (``lambda_rg``).

    Without it the gate drifts to whichever teacher is easier to match. Samples whose mask is
    unreliable have ``r`` forced to 0 by the rule, not by the MLP: they are left out of the mean
    (and the loss is 0 when no sample of the batch has a reliable mask).

    Args:
        delta (float): margin of the target. Defaults to 0.0.
        loss_weight (float): ``lambda_rg``. Defaults to 1.0.
    """

    def __init__(self, delta: float = 0.0, loss_weight: float = 1.0):
        super().__init__()
        self.delta = delta
        self.loss_weight = loss_weight

    def forward(self, gate_logit: torch.Tensor, z_full: torch.Tensor, z_fg: torch.Tensor,
                labels: torch.Tensor, reliable: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """The weighted loss (a scalar) and the targets ``r*`` ``(B,)``.

        Args:
            gate_logit (Tensor): the FRG's logits ``(B,)`` (BCE on ``sigmoid(logit) = r``).
            z_full (Tensor): full-view backbone logits ``(B, C)``.
            z_fg (Tensor): foreground-view backbone logits ``(B, C)``.
            labels (Tensor): class indices ``(B,)``.
            reliable (Tensor): ``(B,)`` bool, the samples whose gate is learned.
        """
        target = gate_target(z_full, z_fg, labels, self.delta)
        per_sample = F.binary_cross_entropy_with_logits(
            gate_logit.float(), target, reduction='none')
        weight = reliable.float()
        loss = (per_sample * weight).sum() / weight.sum().clamp(min=1.0)
        return self.loss_weight * loss, target
