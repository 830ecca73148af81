"""FVG-PT's base-class branch: FDC adapters, the FRG and the losses ``L_ce + L_dist + L_gate``."""
from typing import Callable, Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from fvgpt.registry import MODELS
from ..classifiers.base_prompt_classifier import class_scores


@MODELS.register_module()
class FDCHead(BaseModule):
    """Foreground Distillation Compensation on top of frozen backbone features.

    ``z_fdc = s_fdc * norm(a_v(v)) norm(a_t(w))^T`` with two :class:`FDCAdapter`, trained with
    ``L_base = L_ce + lambda_d L_dist + lambda_rg L_gate`` (each weight is its loss's
    ``loss_weight``). The :class:`ForegroundReliabilityGate` decides, per sample, how much the
    foreground view's teacher is trusted in ``L_dist``.

    Args:
        feat_dim (int): feature dimension (FVG-PT fills in CLIP's joint embedding width).
        adapter (dict): config of both adapters. Defaults to
            ``dict(type='FDCAdapter', bottleneck=64, init_scale=1e-3)``.
        logit_scale (float): ``s_fdc`` (``fdc_logit_scale``). Defaults to 100.0, about CLIP's
            scale ``s``, so that ``z_fdc`` starts at ``z_full``. In an FVG-PT config, None takes
            the backbone's ``s`` exactly (for CLIPs whose scale is far from 100).
        gate (dict): config of the FRG. Defaults to ``dict(type='ForegroundReliabilityGate')``.
        loss_ce (dict): ``L_ce``. Defaults to ``dict(type='mmpretrain.CrossEntropyLoss',
            loss_weight=1.0)``.
        loss_dist (dict): ``L_dist``. Defaults to ``dict(type='ForegroundDistillationLoss')``
            (``tau=2``, ``dist_mode='dual_teacher'``, ``detach_gate=True``,
            ``loss_weight=10``).
        loss_gate (dict): ``L_gate``. Defaults to ``dict(type='GateSupervisionLoss')``
            (``delta=0``, ``loss_weight=1``).
        init_cfg (dict, optional): initialization config.
    """

    def __init__(self,
                 feat_dim: int,
                 adapter: Optional[dict] = None,
                 logit_scale: float = 100.0,
                 gate: Optional[dict] = None,
                 loss_ce: Optional[dict] = None,
                 loss_dist: Optional[dict] = None,
                 loss_gate: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        adapter = dict(adapter or dict(type='FDCAdapter'), feat_dim=feat_dim)
        self.image_adapter = MODELS.build(adapter)
        self.text_adapter = MODELS.build(adapter)
        self.logit_scale = logit_scale
        self.gate = MODELS.build(gate or dict(type='ForegroundReliabilityGate'))
        self.loss_ce = MODELS.build(
            loss_ce or dict(type='mmpretrain.CrossEntropyLoss', loss_weight=1.0))
        self.loss_dist = MODELS.build(loss_dist or dict(type='ForegroundDistillationLoss'))
        self.loss_gate = MODELS.build(loss_gate or dict(type='GateSupervisionLoss'))

    def adapt_image(self, image_feats: torch.Tensor) -> torch.Tensor:
        """``norm(a_v(v))`` ``(..., d)``: each image feature (of ``(B, d)`` or ``(B, K, d)``)."""
        return F.normalize(self.image_adapter(image_feats), dim=-1)

    def adapt_text(self, text_feats: torch.Tensor) -> torch.Tensor:
        """``norm(a_t(w))`` ``(C, d)``, or ``(B, C, d)`` for per-image class features."""
        return F.normalize(self.text_adapter(text_feats), dim=-1)

    def logits(self,
               image_feats: torch.Tensor,
               text_feats: torch.Tensor,
               combine: Optional[Callable] = None) -> torch.Tensor:
        """``z_fdc`` ``(B, C)`` from backbone image ``(B, d)`` or ``(B, K, d)`` and text
        ``(C, d)`` (or per image, ``(B, C, d)``: image-conditioned prompts) features.

        Args:
            image_feats (Tensor): backbone image features.
            text_feats (Tensor): backbone class text features.
            combine (callable, optional): ``combine(v, w, logit_scale) -> (B, C)``, the
                backbone's own rule for its base-class logits, applied to the adapted features
                (each of the ``K`` image features goes through the one image adapter). None:
                ``s_fdc * v @ w^T`` on ``(B, d)`` features.
        """
        image, text = self.adapt_image(image_feats), self.adapt_text(text_feats)
        if combine is None:
            return class_scores(self.logit_scale * image, text)
        return combine(image, text, self.logit_scale)

    def loss(
        self,
        image_feats: torch.Tensor,
        text_feats: torch.Tensor,
        z_full: torch.Tensor,
        z_fg: torch.Tensor,
        area: torch.Tensor,
        valid: Optional[torch.Tensor],
        labels: torch.Tensor,
        combine: Optional[Callable] = None
    ) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """The base-branch losses and the gate's statistics.

        Args:
            image_feats (Tensor): backbone features ``v`` of the images ``(B, d)`` or
                ``(B, K, d)``.
            text_feats (Tensor): backbone features ``w`` of the base classes ``(C, d)``, or
                ``(B, C, d)`` per image (image-conditioned prompts).
            z_full (Tensor): frozen backbone logits of the images ``(B, C)``.
            z_fg (Tensor): frozen backbone logits of the foreground views ``(B, C)``.
            area (Tensor): foreground area fractions ``(B,)``.
            valid (Tensor, optional): ``(B,)`` bool, False for missing masks.
            labels (Tensor): class indices ``(B,)``.
            combine (callable, optional): the backbone's logit rule (see :meth:`logits`).

        Returns:
            tuple[dict, dict]: ``loss_ce``, ``loss_dist``, ``loss_gate`` (weighted), and
            ``gate_r`` (batch mean of ``r``), ``gate_r_target`` (of ``r*``), ``fg_reliable``
            (share of reliable masks), detached.
        """
        z_fdc = self.logits(image_feats, text_feats, combine).float()
        gate = self.gate(z_full, z_fg, area, valid)
        loss_gate, target = self.loss_gate(gate.logit, z_full, z_fg, labels, gate.reliable)
        losses = dict(
            loss_ce=self.loss_ce(z_fdc, labels),
            loss_dist=self.loss_dist(z_fdc, z_full, z_fg, gate.r),
            loss_gate=loss_gate)
        stats = dict(
            gate_r=gate.r.detach().mean(),
            gate_r_target=target.mean(),
            fg_reliable=gate.reliable.float().mean())
        return losses, stats
