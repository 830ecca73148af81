"""MaPLe's coupled multi-modal prompts (Khattak et al., "MaPLe: Multi-modal Prompt Learning",
CVPR 2023; muzairkhattak/multimodal-prompt-learning ``trainers/maple.py``).

Text: IVLP's text prompts (:class:`IVLPPromptLearner`): the context ``ctx`` at positions
``1..M`` of ``ctx_init + ' ' + classname + '.'`` (the phrase's words past ``M`` stay fixed),
and fresh tokens replacing positions ``1..M`` before text blocks ``1..depth-1``. Vision: no
prompt of its own; the tokens of vision block ``i`` are a linear map of the text tokens of text
block ``i`` (the vision-language coupling function), ``to_vision[0](ctx)`` appended after the
patch tokens before block 0 (before ``ln_pre``), ``to_vision[i](text_deep[i - 1])`` replacing
them before blocks ``1..depth-1``. The gradient of the vision side reaches the text prompts.

Shapes (M = n_ctx, D text width, W vision width)::

    ctx          (M, D)                    learned, text block 0 (inside the embeddings)
    text_deep    depth - 1 x (M, D)        learned, text blocks 1..depth-1
    to_vision    depth x Linear(D, W)      learned; vision block i gets to_vision[i](text tokens i)
"""
import copy
from typing import Optional

import torch.nn as nn

from fvgpt.registry import MODELS
from ..clip.prompted_transformer import DeepPrompts
from .ivlp_prompt_learner import IVLPPromptLearner


@MODELS.register_module()
class MaPLePromptLearner(IVLPPromptLearner):
    """MaPLe's prompts: deep text prompts and vision prompts projected from them, layer by layer.

    Initialization as the authors': ``ctx`` from the token embeddings of ``ctx_init``,
    ``text_deep`` ~ N(0, ``init_std``^2), ``to_vision[0]`` (their ``proj``) a freshly initialized
    ``nn.Linear`` and ``to_vision[1:]`` (their ``compound_prompt_projections``) copies of one
    other freshly initialized ``nn.Linear``.

    Args:
        clip (OpenCLIP): the CLIP wrapper, used at construction only (widths, block counts,
            token embeddings of ``ctx_init``); not kept as a sub-module.
        n_ctx (int): prompt tokens ``M`` per layer, text and vision alike (``N_CTX``).
            Defaults to 2.
        depth (int): blocks of each tower that get prompts (``PROMPT_DEPTH``; 1 = the input
            only, "shallow MaPLe"); at most the smaller tower's block count. Defaults to 9.
        ctx_init (str, optional): phrase whose first ``M`` token embeddings initialize ``ctx``
            (``CTX_INIT``); None: random N(0, ``init_std``^2) context. Defaults to
            ``'a photo of a'``.
        init_std (float): std of the random inits. Defaults to 0.02.
    """

    def __init__(self,
                 clip: nn.Module,
                 n_ctx: int = 2,
                 depth: int = 9,
                 ctx_init: Optional[str] = 'a photo of a',
                 init_std: float = 0.02):
        vision_blocks = len(clip.model.visual.transformer.resblocks)
        if not 1 <= depth <= vision_blocks:
            raise ValueError(f'depth must be in [1, {vision_blocks}] (MaPLe prompts both towers '
                             f'to the same depth; the image tower of {clip.model_name} has '
                             f'{vision_blocks} blocks), got {depth}.')
        super().__init__(
            clip,
            n_ctx_text=n_ctx,
            n_ctx_vision=n_ctx,
            depth_text=depth,
            depth_vision=0,  # no vision prompts of their own: projected from the text ones
            ctx_init=ctx_init,
            init_std=init_std)
        text_width, vision_width = clip.text_width, clip.model.visual.transformer.width
        first = nn.Linear(text_width, vision_width)
        deeper = nn.Linear(text_width, vision_width)
        self.to_vision = nn.ModuleList([first] + [copy.deepcopy(deeper) for _ in range(depth - 1)])
        self.n_ctx, self.depth = n_ctx, depth
        self.depth_vision = depth  # blocks whose vision tokens this learner makes

    def vision_prompts(self) -> Optional[DeepPrompts]:
        """The projected text prompts after the patch tokens, before vision blocks
        ``0..depth-1`` (block ``i``: ``to_vision[i]`` of text block ``i``'s tokens)."""
        text_tokens = [self.ctx, *self.text_deep]
        return DeepPrompts(
            {
                i: proj(t)
                for i, (proj, t) in enumerate(zip(self.to_vision, text_tokens))
            },
            position='end')

    def recipe(self) -> dict:
        """What a checkpoint of these prompts must agree on with the config that loads it."""
        return dict(
            n_ctx=self.n_ctx,
            depth=self.depth,
            coupling='linear',
            prompt_prefix=self.prompt_prefix if self.ctx_init else None,
            clip_model=self.clip_model_name)
