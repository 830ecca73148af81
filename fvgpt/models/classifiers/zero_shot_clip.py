"""Zero-shot CLIP: class weights from hand-made prompt templates, nothing trained."""
from typing import Optional, Sequence, Union

import torch

from fvgpt.registry import MODELS
from .base_prompt_classifier import BasePromptClassifier


@MODELS.register_module()
class ZeroShotCLIP(BasePromptClassifier):
    """CLIP scored with the dataset's template (CoOp's ``ZeroshotCLIP``) or an ensemble.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        templates (str | Sequence[str], optional): templates to use instead of the dataset's
            (e.g. an ensemble); None uses the templates given by :meth:`set_class_list`.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    image_encoder = 'clip'

    def __init__(self,
                 clip: dict,
                 templates: Optional[Union[str, Sequence[str]]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.fixed_templates = [templates] if isinstance(templates, str) else templates

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        return self.foundation_text_feats(classnames, self.fixed_templates)
