"""The Backbone Reliability Gate (BRG): how much the tuned backbone is pulled back to CLIP."""
from typing import Tuple

import torch
import torch.nn as nn

from fvgpt.registry import MODELS
from .functional import entropy, prob_cosine
from .gate_mlp import GateMLP


@MODELS.register_module()
class BackboneReliabilityGate(nn.Module):
    """``b = sigmoid(MLP_b(phi_b))``, ``phi_b = [H(p_full), H(p_clip), cos(p_full, p_clip)]``.

    Args:
        hidden (int): hidden width of the MLP (``gate_hidden``). Defaults to 32.
        tau (float): temperature of ``p_* = softmax(z_* / tau)`` in the features (METHOD.md names
            none for the gates; 2 as every temperature it names). Defaults to 2.0.
    """

    def __init__(self, hidden: int = 32, tau: float = 2.0):
        super().__init__()
        self.tau = tau
        self.mlp = GateMLP(3, hidden)

    def features(self, z_full: torch.Tensor, z_clip: torch.Tensor) -> torch.Tensor:
        """``phi_b`` ``(B, 3)``."""
        return torch.stack([
            entropy(z_full, self.tau),
            entropy(z_clip, self.tau),
            prob_cosine(z_full, z_clip, self.tau),
        ],
                           dim=-1)

    def forward(self, z_full: torch.Tensor,
                z_clip: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """The gate ``b`` ``(B,)`` and its logit ``(B,)`` from backbone and CLIP logits
        ``(B, C)``."""
        logit = self.mlp(self.features(z_full, z_clip)).float()
        return torch.sigmoid(logit), logit
