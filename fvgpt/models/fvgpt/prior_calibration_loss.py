"""The loss of FVG-PT's new-class branch: prior calibration towards the foundation CLIP."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from fvgpt.registry import MODELS
from .functional import kl_div_t


@MODELS.register_module()
class PriorCalibrationLoss(nn.Module):
    """``L_new = CE(z_pc / tau_pc, y) + [use_kl] tau_kl^2 KL(softmax(z_clip / tau_kl) ||
    softmax(z_pc / tau_kl))``, weighted by ``loss_weight`` (``lambda_n``).

    Args:
        tau_pc (float): temperature of the cross-entropy. Defaults to 2.0.
        tau_kl (float): temperature of the KL to CLIP. Defaults to 2.0.
        use_kl (bool): add the KL term. Defaults to True.
        loss_weight (float): ``lambda_n``. Defaults to 1.0.
    """

    def __init__(self,
                 tau_pc: float = 2.0,
                 tau_kl: float = 2.0,
                 use_kl: bool = True,
                 loss_weight: float = 1.0):
        super().__init__()
        self.tau_pc = tau_pc
        self.tau_kl = tau_kl
        self.use_kl = use_kl
        self.loss_weight = loss_weight

    def forward(self, z_pc: torch.Tensor, z_clip: torch.Tensor,
                labels: torch.Tensor) -> torch.Tensor:
        """The weighted loss (a scalar) of calibrated logits ``z_pc`` and CLIP's ``z_clip``
        ``(B, C)`` for class indices ``labels`` ``(B,)``."""
        loss = F.cross_entropy(z_pc.float() / self.tau_pc, labels)
        if self.use_kl:
            loss = loss + self.tau_kl**2 * kl_div_t(z_clip, z_pc, self.tau_kl).mean()
        return self.loss_weight * loss
