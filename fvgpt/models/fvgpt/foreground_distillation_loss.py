"""FVG-PT's distillation of the two frozen teachers (foreground view, full view) into z_fdc."""
import torch
import torch.nn as nn

from fvgpt.registry import MODELS
from .functional import kl_div_t

DIST_MODES = ('dual_teacher', 'mixed_teacher')


@MODELS.register_module()
class ForegroundDistillationLoss(nn.Module):
    """``L_dist``, weighted by ``loss_weight`` (``lambda_d``).

    - ``dist_mode='dual_teacher'`` (default)::

        tau^2 * mean_i [ r_i KL(softmax(z_fg/tau) || softmax(z_fdc/tau))
                         + (1 - r_i) KL(softmax(z_full/tau) || softmax(z_fdc/tau)) ]

    - ``dist_mode='mixed_teacher'``: one KL against the teacher ``r z_fg + (1 - r) z_full``.

    Args:
        tau (float): distillation temperature ``tau_d``. Defaults to 2.0.
        dist_mode (str): ``'dual_teacher'`` or ``'mixed_teacher'``. Defaults to
            ``'dual_teacher'``.
        detach_gate (bool): no gradient from this loss into the gate ``r`` (it is trained by the
            gate supervision only). Defaults to True.
        loss_weight (float): ``lambda_d``. Defaults to 10.0 (the authors' default).
    """

    def __init__(self,
                 tau: float = 2.0,
                 dist_mode: str = 'dual_teacher',
                 detach_gate: bool = True,
                 loss_weight: float = 10.0):
        super().__init__()
        if dist_mode not in DIST_MODES:
            raise ValueError(f'dist_mode must be one of {DIST_MODES}, got "{dist_mode}".')
        self.tau = tau
        self.dist_mode = dist_mode
        self.detach_gate = detach_gate
        self.loss_weight = loss_weight

    def forward(self, z_fdc: torch.Tensor, z_full: torch.Tensor, z_fg: torch.Tensor,
                r: torch.Tensor) -> torch.Tensor:
        """The weighted loss (a scalar).

        Args:
            z_fdc (Tensor): student logits ``(B, C)``.
            z_full (Tensor): full-view teacher logits ``(B, C)``.
            z_fg (Tensor): foreground-view teacher logits ``(B, C)``.
            r (Tensor): the FRG's gate ``(B,)``.
        """
        r = r.detach() if self.detach_gate else r
        r = r.float()
        if self.dist_mode == 'dual_teacher':
            per_sample = (
                r * kl_div_t(z_fg, z_fdc, self.tau) + (1 - r) * kl_div_t(z_full, z_fdc, self.tau))
        else:
            teacher = r[:, None] * z_fg.float() + (1 - r[:, None]) * z_full.float()
            per_sample = kl_div_t(teacher, z_fdc, self.tau)
        return self.loss_weight * self.tau**2 * per_sample.mean()
