"""FVG-PT's new-class branch: Prior Calibration of the backbone's logits with CLIP's."""
from typing import Dict, Optional, Tuple

import torch
from mmengine.model import BaseModule

from fvgpt.registry import MODELS


@MODELS.register_module()
class PriorCalibrationHead(BaseModule):
    """``z_pc = (1 - b) z_full + b z_clip`` with ``b`` from the
    :class:`BackboneReliabilityGate`, trained with ``lambda_n L_new``.

    It has no class-specific weights, so it scores any class list: at test time the new
    classes' ``z_full`` (backbone prompt) and ``z_clip`` (hand template) are mixed by the gate
    learned on the base classes.

    Args:
        gate (dict): config of the BRG. Defaults to ``dict(type='BackboneReliabilityGate')``.
        loss (dict): ``L_new``. Defaults to ``dict(type='PriorCalibrationLoss')``
            (``tau_pc=2``, ``tau_kl=2``, ``use_kl=True``, ``loss_weight=1``).
        init_cfg (dict, optional): initialization config.
    """

    def __init__(self,
                 gate: Optional[dict] = None,
                 loss: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.gate = MODELS.build(gate or dict(type='BackboneReliabilityGate'))
        self.loss_new = MODELS.build(loss or dict(type='PriorCalibrationLoss'))

    def logits(self, z_full: torch.Tensor,
               z_clip: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``z_pc`` ``(B, C)`` and the gate ``b`` ``(B,)`` from backbone and CLIP logits."""
        z_full, z_clip = z_full.float(), z_clip.float()
        b, _ = self.gate(z_full, z_clip)
        return (1 - b[:, None]) * z_full + b[:, None] * z_clip, b

    def loss(self, z_full: torch.Tensor, z_clip: torch.Tensor,
             labels: torch.Tensor) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """``loss_new`` (weighted) and ``gate_b`` (batch mean of ``b``, detached)."""
        z_pc, b = self.logits(z_full, z_clip)
        return dict(loss_new=self.loss_new(z_pc, z_clip, labels)), dict(gate_b=b.detach().mean())
