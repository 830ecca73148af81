"""IVLP: independent deep prompts on both CLIP towers (JREion/FVG-PT trainers/independentVL.py)."""
from typing import Optional, Sequence

import torch

from fvgpt.registry import MODELS
from .base_prompt_classifier import BasePromptClassifier


@MODELS.register_module()
class IVLP(BasePromptClassifier):
    """Independent vision-language prompting: CLIP scored with deep text prompts on the class
    side and deep visual prompts on the image side, trained with cross-entropy.

    The image tower carries prompts (``image_encoder = 'prompted'``): FVG-PT's foundation image
    features come from a separate prompt-free CLIP pass.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict): config of the prompts, built with ``clip=`` this model's CLIP.
            Defaults to ``dict(type='IVLPPromptLearner')``.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    image_encoder = 'prompted'
    #: The prompt learner built when the config gives none (a subclass names its own).
    default_prompt_learner = dict(type='IVLPPromptLearner')

    def __init__(self,
                 clip: dict,
                 prompt_learner: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        prompt_learner = dict(prompt_learner or self.default_prompt_learner)
        self.prompt_learner = MODELS.build(prompt_learner, default_args=dict(clip=self.clip))

    def image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        """Prompted image features ``(B, 1, d)`` (with gradient to the visual prompts)."""
        prompts = self.prompt_learner.vision_prompts()
        return self.clip.encode_image(inputs, normalize=True, prompts=prompts).unsqueeze(1)

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        embeddings, eot, deep = self.prompt_learner.text_prompts(classnames, self.clip)
        return self.clip.encode_text_embeddings(embeddings, eot, normalize=True, prompts=deep)
