"""Grad-CAM of the image encoder of a text-side prompt classifier (zero-shot CLIP, CoOp).

The measurement behind the toy world's condition 4 (METHOD.md's foreground shift index with the
Grad-CAM map): the predicted class's logit ``s * f_v(x) . w_c`` is differentiated with respect to
the patch tokens leaving the last vision block of the open_clip ViT; the map is
``ReLU(sum_k alpha_k A_k)`` with ``alpha_k`` the gradient averaged over patches, upsampled
(bilinear) to the input. The text features are constants here, so two classifiers that share
CLIP's image tower (zero-shot CLIP and CoOp) differ only through their class text features: this
is how a tuned prompt moves the image encoder's evidence. (The CLS token's attention cannot show
that: it is the same for both, the tower being frozen.)

fvgpt.analysis (issue 13) offers the general tool for every backbone; this one needs only
``model.clip`` (the ``OpenCLIP`` wrapper), ``model.extract_text_feats()`` and ``model.logit_scale``.
"""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


def _last_block(model: nn.Module) -> nn.Module:
    visual = model.clip.model.visual
    blocks = getattr(getattr(visual, 'transformer', None), 'resblocks', None)
    if blocks is None:
        raise TypeError(f'Grad-CAM needs an open_clip ViT image tower, got {type(visual).__name__}.')
    return blocks[-1]


def text_classifier_grad_cam(model: nn.Module, inputs: torch.Tensor
                             ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Grad-CAM maps of the predicted class for a batch.

    Args:
        model (nn.Module): a prompt classifier with ``clip``, ``extract_text_feats()`` and
            ``logit_scale`` (its class list set), e.g. ``ZeroShotCLIP`` or ``CoOp``.
        inputs (torch.Tensor): normalized images ``(B, 3, H, W)``.

    Returns:
        tuple[Tensor, Tensor]: maps ``(B, H, W)`` (non-negative, at the input size) and the
        predicted classes ``(B,)``.
    """
    captured = {}

    def keep_output(module, args, output):
        # A leaf that requires grad, so that the frozen tower still passes a gradient to it.
        leaf = output.detach().requires_grad_(True)
        captured['tokens'] = leaf
        return leaf

    handle = _last_block(model).register_forward_hook(keep_output)
    try:
        with torch.no_grad():
            text = model.extract_text_feats().detach()
        with torch.enable_grad():
            feats = model.clip.encode_image(inputs, normalize=True)
            logits = model.logit_scale.detach() * feats @ text.t()
            preds = logits.argmax(dim=1)
            (grads, ) = torch.autograd.grad(logits.gather(1, preds[:, None]).sum(),
                                            captured['tokens'])
    finally:
        handle.remove()
    tokens = captured['tokens'].detach()
    if tokens.shape[0] != inputs.shape[0]:  # sequence-first transformer: (N, B, D)
        tokens, grads = tokens.transpose(0, 1), grads.transpose(0, 1)
    num_patches = tokens.shape[1] - 1
    side = int(round(num_patches**0.5))
    if side * side != num_patches:
        raise ValueError(f'{num_patches} patch tokens do not form a square grid.')
    tokens, grads = tokens[:, 1:], grads[:, 1:]  # the class token is not a patch
    weights = grads.mean(dim=1, keepdim=True)
    cam = F.relu((tokens * weights).sum(-1)).view(-1, 1, side, side)
    maps = F.interpolate(cam, size=inputs.shape[-2:], mode='bilinear', align_corners=False)
    return maps[:, 0].clamp_min(0), preds
