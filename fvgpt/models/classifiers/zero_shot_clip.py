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

    image_encoder_is_clip = True

    def __init__(self,
                 clip: dict,
                 templates: Optional[Union[str, Sequence[str]]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.fixed_templates = [templates] if isinstance(templates, str) else templates

    def extract_image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            return self.clip.encode_image(inputs, normalize=True)

    def extract_text_feats(self, classnames: Optional[Sequence[str]] = None) -> torch.Tensor:
        return self.zeroshot_text_feats(classnames, self.fixed_templates)
