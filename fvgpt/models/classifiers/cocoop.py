"""CoCoOp: CoOp whose context is shifted per image, so every image has its own class prompts."""
from typing import Optional, Sequence

import torch

from fvgpt.registry import MODELS
from .base_prompt_classifier import BasePromptClassifier


@MODELS.register_module()
class CoCoOp(BasePromptClassifier):
    """CoCoOp (Zhou et al., "Conditional Prompt Learning for Vision-Language Models", CVPR 2022;
    GitHub KaiyangZhou/CoOp ``trainers/cocoop.py``).

    A :class:`CoCoOpPromptLearner` shifts the shared context by a meta-net of each image's CLIP
    feature, so the class text features are per image, ``w_{b,c}`` ``(B, C, d)``
    (``text_conditioning = 'image'``), and the logits are ``s <v_b, w_{b,c}>``; the loss is
    cross-entropy. The image tower is CLIP's own (``image_encoder = 'clip'``).

    The authors encode the ``C`` prompts of each image in a loop over the batch, each over all
    77 positions; here the ``B * C`` prompts go through one text-encoder call, cut after the last
    end-of-text position (the same features up to float rounding). Without gradient (testing,
    FVG-PT) the call is split into groups of whole images of at most ``eval_prompts_per_call``
    prompts, which bounds the memory of large test batches; with gradient it is never split
    (autograd would keep every group's activations anyway).

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict, optional): config of the context. Defaults to
            ``dict(type='CoCoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')``.
        eval_prompts_per_call (int, optional): the most prompts per text-encoder call without
            gradient (at least one image's classes); None: all at once. Defaults to 8192.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    image_encoder = 'clip'
    text_conditioning = 'image'

    def __init__(self,
                 clip: dict,
                 prompt_learner: Optional[dict] = None,
                 eval_prompts_per_call: Optional[int] = 8192,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if eval_prompts_per_call is not None and eval_prompts_per_call < 1:
            raise ValueError(f'eval_prompts_per_call must be a positive int or None, got '
                             f'{eval_prompts_per_call}.')
        self.eval_prompts_per_call = eval_prompts_per_call
        prompt_learner = dict(
            prompt_learner or dict(type='CoCoOpPromptLearner', n_ctx=4, ctx_init='a photo of a'))
        self.prompt_learner = MODELS.build(prompt_learner, default_args=dict(clip=self.clip))

    def encode_class_text(self,
                          classnames: Sequence[str],
                          image_feats: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Per-image class text features ``(B, C, d)`` from image features ``(B, K, d)``."""
        if image_feats is None:
            raise ValueError('CoCoOp builds the class prompts from the image features: pass '
                             'image_feats (B, K, d).')
        classnames = list(classnames)
        groups = [image_feats[:, 0]]
        if not torch.is_grad_enabled() and self.eval_prompts_per_call is not None:
            groups = groups[0].split(max(1, self.eval_prompts_per_call // len(classnames)))
        text = []
        for group in groups:
            prompts, eot = self.prompt_learner(classnames, self.clip, group)
            feats = self.clip.encode_text_embeddings(prompts, eot, normalize=True)
            text.append(feats.view(group.shape[0], len(classnames), -1))
        return torch.cat(text)
