"""The logits a model scores with, recomputed so that they depend on the captured tokens.

A backbone's :meth:`image_feats` for ``image_encoder='clip'`` runs CLIP under ``no_grad`` (the
tower is frozen), and FVG-PT calls its backbone under ``no_grad`` too, so no gradient could
reach the last block through them. The backbone contract guarantees what they compute:

- ``image_encoder='clip'``: ``image_feats(x) == clip.encode_image(x, normalize=True)[:, None]``,
  so that call is made here, with grad;
- ``image_encoder='prompted'``: the backbone's own ``image_feats`` (which must not force
  ``no_grad``, or :class:`fvgpt.analysis.AttentionMapper` reports it);
- the logits: ``logits_from_feats(image_feats, text_feats(image_feats=...), split)`` of the
  backbone (per-image text of image-conditioned backbones keeps its gradient) and, for
  FVG-PT, its base branch (``base_head.logits`` through the adapters with the backbone's base
  rule) or its new branch (``new_head.logits(z_full, z_clip)``), exactly as ``FVGPT`` composes
  them. ``tests/test_analysis`` checks that these equal the models' own logits.
"""
from typing import Optional, Tuple

import torch

from fvgpt.models.classifiers.base_prompt_classifier import BasePromptClassifier
from fvgpt.models.fvgpt.fvgpt import FVGPT
from .last_block_capture import LastBlockCapture


def analysed_backbone(model: torch.nn.Module) -> BasePromptClassifier:
    """The classifier whose image encoder is analysed (FVG-PT's backbone, or the model)."""
    backbone = model.backbone if isinstance(model, FVGPT) else model
    if not isinstance(backbone, BasePromptClassifier):
        raise TypeError(f'Attention maps need a BasePromptClassifier or FVGPT model, got '
                        f'{type(model).__name__}.')
    return backbone


def image_feats_with_grad(backbone: BasePromptClassifier, inputs: torch.Tensor,
                          capture: LastBlockCapture) -> torch.Tensor:
    """The backbone's image features ``(B, K, d)``, with the capture armed for this pass only."""
    with capture.armed():
        if backbone.image_encoder == 'clip':
            return backbone.clip.encode_image(inputs, normalize=True).unsqueeze(1)
        return backbone.image_feats(inputs)


def scoring_logits(model: torch.nn.Module,
                   inputs: torch.Tensor,
                   capture: LastBlockCapture,
                   branch: Optional[str] = None) -> Tuple[torch.Tensor, str]:
    """The model's logits ``(B, C)`` over its current class list, as it scores them.

    Args:
        model (nn.Module): a :class:`BasePromptClassifier` or :class:`FVGPT` (class list set).
        inputs (Tensor): normalized images ``(B, 3, H, W)``.
        capture (LastBlockCapture): the capture on the backbone's CLIP (hooks in place).
        branch (str, optional): FVG-PT's ``'base'`` or ``'new'`` branch; None: the branch the
            model scores its current class list with (``scoring_branch()``).

    Returns:
        tuple[Tensor, str]: the logits and what scored them (``'base'``/``'new'`` branch of
        FVG-PT, else the backbone's ``split``).
    """
    backbone = analysed_backbone(model)
    classnames = backbone.require_class_list()
    feats = image_feats_with_grad(backbone, inputs, capture)
    if backbone.text_conditioning == 'image':
        # per-image class text (CoCoOp) is a function of the image: the gradient flows through
        # both paths to the captured tokens, as the model computes it
        text = backbone.text_feats(classnames, image_feats=feats)
    else:
        with torch.no_grad():
            text = backbone.text_feats(classnames).detach()
    if not isinstance(model, FVGPT):
        split = backbone.subsample
        return backbone.logits_from_feats(feats, text, split=split), str(split)
    branch = branch or model.scoring_branch()
    if branch == 'base':

        def combine(image, text_, scale):
            return backbone.logits_from_feats(image, text_, split='base', logit_scale=scale)

        return model.base_head.logits(feats, text, combine).float(), 'base'
    if branch != 'new':
        raise ValueError(f'FVG-PT branch must be "base" or "new", got {branch!r}.')
    z_full = backbone.logits_from_feats(feats.float(), text.float(), split='new').float()
    # 'clip' backbones reuse feats (with grad); 'prompted' ones run CLIP again, prompt-free.
    clip_feats = backbone.foundation_image_feats(inputs, image_feats=feats)
    with torch.no_grad():
        hand = backbone.foundation_text_feats(classnames)
    z_clip = backbone.foundation_logit_scale * clip_feats.float() @ hand.float().t()
    z_pc, _ = model.new_head.logits(z_full, z_clip)
    return z_pc, 'new'
