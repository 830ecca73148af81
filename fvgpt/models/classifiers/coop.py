"""CoOp: a frozen CLIP whose class prompts carry learned context vectors."""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch

from fvgpt.registry import MODELS
from .base_prompt_classifier import BasePromptClassifier


@MODELS.register_module()
class CoOp(BasePromptClassifier):
    """CoOp (Zhou et al., IJCV 2022): only the prompt context is trained.

    The image encoder is CLIP's own, so :attr:`image_encoder_is_clip` holds and FVG-PT reuses its
    features as the foundation CLIP's.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict): config of the prompt learner, built with ``clip=`` this model's
            CLIP. Defaults to ``dict(type='CoOpPromptLearner')``.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    image_encoder_is_clip = True

    def __init__(self,
                 clip: dict,
                 prompt_learner: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        prompt_learner = dict(prompt_learner or dict(type='CoOpPromptLearner'))
        self.prompt_learner = MODELS.build(prompt_learner, default_args=dict(clip=self.clip))
        self._text_cache: Dict[Tuple, torch.Tensor] = {}

    def extract_image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():  # the image encoder is frozen
            return self.clip.encode_image(inputs, normalize=True)

    def extract_text_feats(self, classnames: Optional[Sequence[str]] = None) -> torch.Tensor:
        classnames = list(classnames) if classnames is not None else self.require_class_list()
        if torch.is_grad_enabled() and self.prompt_learner.ctx.requires_grad:
            return self._encode_prompts(classnames)
        # Without gradient the features depend on the class list and the context values only:
        # the context's version counter changes with every optimizer step and checkpoint load.
        ctx = self.prompt_learner.ctx
        key = (tuple(classnames), ctx._version, ctx.data_ptr(), str(ctx.device))
        if key not in self._text_cache:
            self._text_cache.clear()
            with torch.no_grad():
                self._text_cache[key] = self._encode_prompts(classnames)
        return self._text_cache[key]

    def _encode_prompts(self, classnames: Sequence[str]) -> torch.Tensor:
        prompts, eot = self.prompt_learner(classnames, self.clip)
        return self.clip.encode_text_embeddings(prompts, eot, normalize=True)
