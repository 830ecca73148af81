"""The Foreground Reliability Gate (FRG): how far the foreground view's teacher can be trusted."""
from typing import NamedTuple, Optional

import torch
import torch.nn as nn

from fvgpt.registry import MODELS
from .functional import entropy, prob_cosine, reliable_masks
from .gate_mlp import GateMLP


class FRGOutput(NamedTuple):
    """What the FRG gives per sample, all ``(B,)``.

    Attributes:
        r (Tensor): the gate, ``sigmoid(logit)``, forced to 0 where the mask is unreliable.
        logit (Tensor): the MLP's logit, before the unreliable-mask rule (for the BCE loss).
        reliable (Tensor): bool, the mask is valid with an area fraction in range.
    """
    r: torch.Tensor
    logit: torch.Tensor
    reliable: torch.Tensor


@MODELS.register_module()
class ForegroundReliabilityGate(nn.Module):
    """``r = sigmoid(MLP_r(phi_r))``, ``phi_r = [H(p_full) - H(p_fg), cos(p_full, p_fg), A(m)]``.

    ``r`` is forced to 0 for a sample whose mask is invalid (missing) or covers less than
    ``area_min`` or more than ``area_max`` of the image: such a mask says nothing about the
    foreground, and the distillation then follows the full view alone.

    Args:
        hidden (int): hidden width of the MLP (``gate_hidden``). Defaults to 32.
        tau (float): temperature of ``p_* = softmax(z_* / tau)`` in the features. METHOD.md names
            no value for the gates; 2 is the value of every temperature it does name.
            Defaults to 2.0.
        area_min (float): smallest trusted foreground area fraction. Defaults to 0.02.
        area_max (float): largest trusted foreground area fraction. Defaults to 0.98.
    """

    def __init__(self,
                 hidden: int = 32,
                 tau: float = 2.0,
                 area_min: float = 0.02,
                 area_max: float = 0.98):
        super().__init__()
        if not 0.0 <= area_min <= area_max <= 1.0:
            raise ValueError(f'Need 0 <= area_min <= area_max <= 1, got area_min={area_min}, '
                             f'area_max={area_max}.')
        self.tau = tau
        self.area_min = area_min
        self.area_max = area_max
        self.mlp = GateMLP(3, hidden)

    def features(self, z_full: torch.Tensor, z_fg: torch.Tensor,
                 area: torch.Tensor) -> torch.Tensor:
        """``phi_r`` ``(B, 3)``."""
        return torch.stack([
            entropy(z_full, self.tau) - entropy(z_fg, self.tau),
            prob_cosine(z_full, z_fg, self.tau),
            area.float(),
        ],
                           dim=-1)

    def forward(self,
                z_full: torch.Tensor,
                z_fg: torch.Tensor,
                area: torch.Tensor,
                valid: Optional[torch.Tensor] = None) -> FRGOutput:
        """The gate of each sample.

        Args:
            z_full (Tensor): backbone logits of the image ``(B, C)``.
            z_fg (Tensor): backbone logits of its foreground view ``(B, C)``.
            area (Tensor): foreground area fraction of each mask ``(B,)``.
            valid (Tensor, optional): ``(B,)`` bool, False for a missing mask.
        """
        logit = self.mlp(self.features(z_full, z_fg, area)).float()
        reliable = reliable_masks(area, valid, self.area_min, self.area_max)
        r = torch.sigmoid(logit) * reliable.to(logit.dtype)
        return FRGOutput(r, logit, reliable)
