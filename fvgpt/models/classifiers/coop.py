"""CoOp: a frozen CLIP whose class prompts carry learned context vectors."""
from typing import Optional, Sequence

import torch

from fvgpt.registry import MODELS
from .base_prompt_classifier import BasePromptClassifier


@MODELS.register_module()
class CoOp(BasePromptClassifier):
    """CoOp (Zhou et al., IJCV 2022): only the prompt context is trained.

    The image encoder is CLIP's own (``image_encoder = 'clip'``), so FVG-PT reuses its features
    as the foundation CLIP's.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict): config of the prompt learner, built with ``clip=`` this model's
            CLIP. Defaults to ``dict(type='CoOpPromptLearner')``.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    image_encoder = 'clip'

    def __init__(self,
                 clip: dict,
                 prompt_learner: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        prompt_learner = dict(prompt_learner or dict(type='CoOpPromptLearner'))
        self.prompt_learner = MODELS.build(prompt_learner, default_args=dict(clip=self.clip))

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        prompts, eot = self.prompt_learner(classnames, self.clip)
        return self.clip.encode_text_embeddings(prompts, eot, normalize=True)
