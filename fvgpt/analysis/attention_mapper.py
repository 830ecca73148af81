"""Attention maps of a CLIP prompt-tuning model's image encoder: Grad-CAM or CLS attention."""
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

import torch
import torch.nn as nn

from .cls_attention import cls_attention
from .grad_cam import grad_cam, upsample_maps
from .last_block_capture import LastBlockCapture
from .scoring_logits import analysed_backbone, scoring_logits

METHODS = ('gradcam', 'cls_attention')

NO_GRADIENT_HINT = (
    "no gradient reaches the last vision block's tokens from the logits: the backbone's "
    "image_feats (image_encoder='prompted') runs under torch.no_grad. The backbone contract "
    'would need image_feats to leave gradient mode to the caller (prompts are frozen anyway '
    'when FVG-PT calls it under no_grad); use method="cls_attention" meanwhile.')


@dataclass
class AttentionMaps:
    """Maps of one batch.

    Attributes:
        maps (Tensor): ``(B, H, W)`` non-negative maps at the input resolution.
        logits (Tensor): ``(B, C)`` the model's logits (detached).
        preds (Tensor): ``(B,)`` predicted classes.
        targets (Tensor): ``(B,)`` the classes the maps explain.
        scored_by (str): the FVG-PT branch (``'base'``/``'new'``) or the backbone's split.
    """

    maps: torch.Tensor
    logits: torch.Tensor
    preds: torch.Tensor
    targets: torch.Tensor
    scored_by: str


class AttentionMapper:
    """Attention maps of the image encoder of a :class:`BasePromptClassifier` or ``FVGPT``.

    ``'gradcam'``: the target class's logit, as the model scores its class list (for FVG-PT the
    branch that scores that split, through its adapters or its prior calibration), is
    differentiated with respect to the patch tokens entering the last vision block; Grad-CAM
    (:func:`grad_cam`) on the patch grid, upsampled to the input. ``'cls_attention'``: the class
    token's attention over the patches in the last block (:func:`cls_attention`), upsampled.
    Prompt tokens are never patches. No parameter takes part in the gradient: every parameter is
    switched to ``requires_grad=False`` during the call and restored after it; the gradient is
    taken with ``torch.autograd.grad`` with respect to the captured tokens only.

    Args:
        model (nn.Module): the model, in eval mode, with its class list set.
        method (str): ``'gradcam'`` or ``'cls_attention'``. Defaults to ``'gradcam'``.
        branch (str, optional): FVG-PT's branch to explain; None follows the model.
    """

    def __init__(self, model: nn.Module, method: str = 'gradcam', branch: Optional[str] = None):
        if method not in METHODS:
            raise ValueError(f'method must be one of {METHODS}, got {method!r}.')
        self.model = model
        self.method = method
        self.branch = branch
        self.backbone = analysed_backbone(model)
        self.capture = LastBlockCapture(self.backbone.clip)

    def __call__(self,
                 inputs: torch.Tensor,
                 targets: Optional[torch.Tensor] = None) -> AttentionMaps:
        """Maps of normalized images ``(B, 3, H, W)`` for ``targets`` (default: predictions)."""
        size = tuple(inputs.shape[-2:])
        with _no_parameter_grad(self.model), self.capture:
            with torch.set_grad_enabled(self.method == 'gradcam'):
                logits, scored_by = scoring_logits(self.model, inputs, self.capture, self.branch)
            call = self.capture.single_call()
            index = call.patch_index(self.capture.num_patches)
            preds = logits.detach().argmax(dim=1)
            targets = preds if targets is None else targets.to(preds.device).view(-1)
            if self.method == 'gradcam':
                if not logits.requires_grad:
                    raise RuntimeError(f'Grad-CAM of {type(self.model).__name__}: '
                                       f'{NO_GRADIENT_HINT}')
                score = logits.gather(1, targets[:, None]).sum()
                (grads, ) = torch.autograd.grad(score, call.leaf)
                tokens = call.inputs[:, index]
                maps = grad_cam(tokens, call.batch_first(grads)[:, index], self.capture.grid, size)
            else:
                with torch.no_grad():
                    weights = cls_attention(self.capture.block, call.inputs, index)
                maps = upsample_maps(weights.view(-1, *self.capture.grid), size)
        return AttentionMaps(maps.detach().float(),
                             logits.detach().float(), preds, targets, scored_by)


@contextmanager
def _no_parameter_grad(model: nn.Module) -> Iterator[None]:
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in params:
            p.requires_grad_(True)
