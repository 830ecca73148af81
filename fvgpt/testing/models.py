"""Configs of tiny, randomly initialized CLIP models (``fvgpt-tiny-vit``: 32 px, 2+2 layers)."""
from typing import Optional

TINY_CLIP_NAME = 'fvgpt-tiny-vit'


def tiny_clip_cfg(pretrained: Optional[str] = None) -> dict:
    """Config of the tiny open_clip model shipped in ``fvgpt/models/clip/model_configs``."""
    return dict(type='OpenCLIP', model_name=TINY_CLIP_NAME, pretrained=pretrained)


def tiny_coop_cfg(n_ctx: int = 4, ctx_init: Optional[str] = None, **learner) -> dict:
    """Config of CoOp on the tiny CLIP."""
    return dict(
        type='CoOp',
        clip=tiny_clip_cfg(),
        prompt_learner=dict(type='CoOpPromptLearner', n_ctx=n_ctx, ctx_init=ctx_init, **learner))
