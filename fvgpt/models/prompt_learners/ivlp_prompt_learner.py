"""Independent vision-language prompts (IVLP; Khattak et al., MaPLe, CVPR 2023, and PromptSRC).

Text: CoOp-style context in the prompt embeddings,
``[SOT] ctx_1..ctx_M <rest of ctx_init> CLASSNAME . [EOT]``, plus fresh context tokens that
replace positions ``1..M`` before text blocks
``1..depth_text-1``. Vision: ``n_ctx_vision`` tokens appended after the patch tokens before block 0
and replaced before blocks ``1..depth_vision-1``. Text and vision prompts are independent (no
coupling function, unlike MaPLe). The prompts reach CLIP as call arguments
(:class:`fvgpt.models.clip.DeepPrompts`); CLIP itself holds none.

Shapes (C classes, M = n_ctx_text, V = n_ctx_vision, D text width, W vision width)::

    ctx          (M, D)                        learned, text block 0 (inside the embeddings)
    text_deep    depth_text - 1 x (M, D)       learned, text blocks 1..depth_text-1
    vision       depth_vision x (V, W)         learned, vision blocks 0..depth_vision-1
"""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn

from fvgpt.registry import MODELS
from ..clip.prompted_transformer import DeepPrompts


@MODELS.register_module()
class IVLPPromptLearner(nn.Module):
    """Deep text and vision prompts of IVLP (the prompts PromptSRC trains, too).

    Args:
        clip (OpenCLIP): the CLIP wrapper, used at construction only (widths, block counts,
            token embeddings of ``ctx_init``); not kept as a sub-module.
        n_ctx_text (int): text context tokens ``M``. Defaults to 4.
        n_ctx_vision (int): vision prompt tokens ``V``. Defaults to 4.
        depth_text (int): text blocks that get context tokens (1 = the embeddings only, as
            CoOp). Defaults to 9.
        depth_vision (int): vision blocks that get prompt tokens (0 = none). Defaults to 9.
        ctx_init (str, optional): phrase whose first ``M`` token embeddings initialize the text
            context; the phrase's remaining words stay in the prompt as fixed words (the
            authors' prompts are ``ctx_init + ' ' + classname + '.'``). None: random N(0,
            ``init_std``^2) context and no fixed words. Defaults to ``'a photo of a'``.
        init_std (float): std of the random inits (text context without ``ctx_init``, deep
            text and vision prompts). Defaults to 0.02.
    """

    def __init__(self,
                 clip: nn.Module,
                 n_ctx_text: int = 4,
                 n_ctx_vision: int = 4,
                 depth_text: int = 9,
                 depth_vision: int = 9,
                 ctx_init: Optional[str] = 'a photo of a',
                 init_std: float = 0.02):
        super().__init__()
        text_blocks = len(clip.text['transformer'].resblocks)
        vision_blocks = len(clip.model.visual.transformer.resblocks)
        if not 1 <= depth_text <= text_blocks:
            raise ValueError(f'depth_text must be in [1, {text_blocks}] (the text transformer '
                             f'of {clip.model_name} has {text_blocks} blocks), got {depth_text}.')
        if not 0 <= depth_vision <= vision_blocks:
            raise ValueError(f'depth_vision must be in [0, {vision_blocks}] (the image tower of '
                             f'{clip.model_name} has {vision_blocks} blocks), got {depth_vision}.')
        if n_ctx_text < 1 or (depth_vision and n_ctx_vision < 1):
            raise ValueError('n_ctx_text (and n_ctx_vision with depth_vision > 0) must be >= 1.')
        width = clip.text_width
        vision_width = clip.model.visual.transformer.width
        self.fixed_words = ''
        if ctx_init:
            words = ctx_init.replace('_', ' ').strip()
            tokens = clip.tokenize([words])
            n_phrase = int(clip.eot_indices(tokens)[0]) - 1
            if n_ctx_text > n_phrase:
                raise ValueError(f'n_ctx_text={n_ctx_text} but ctx_init "{words}" has only '
                                 f'{n_phrase} tokens: lower n_ctx_text, lengthen ctx_init or set '
                                 'ctx_init=None (random init).')
            with torch.no_grad():
                ctx = clip.token_embedding(tokens)[0, 1:1 + n_ctx_text].float().cpu().clone()
            self.prompt_prefix = words  # the first n_ctx_text tokens are replaced by ctx
        else:
            ctx = torch.empty(n_ctx_text, width).normal_(std=init_std)
            self.prompt_prefix = ' '.join(['X'] * n_ctx_text)
        self.ctx = nn.Parameter(ctx)
        self.text_deep = nn.ParameterList([
            nn.Parameter(torch.empty(n_ctx_text, width).normal_(std=init_std))
            for _ in range(depth_text - 1)
        ])
        self.vision = nn.ParameterList([
            nn.Parameter(torch.empty(n_ctx_vision, vision_width).normal_(std=init_std))
            for _ in range(depth_vision)
        ])
        self.n_ctx_text, self.n_ctx_vision = n_ctx_text, n_ctx_vision
        self.depth_text, self.depth_vision = depth_text, depth_vision
        self.ctx_init = ctx_init or None
        self.clip_model_name = clip.model_name
        self._frozen_cache: Dict[Tuple, Tuple[torch.Tensor, ...]] = {}

    def frozen_parts(self, classnames: Sequence[str],
                     clip: nn.Module) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``prefix (C, 1, D)`` (SOT), ``suffix (C, L-1-M, D)`` and ``eot (C,)``, once per list."""
        key = (tuple(classnames), str(self.ctx.device))
        if key not in self._frozen_cache:
            prompts = [f'{self.prompt_prefix} {name.replace("_", " ")}.' for name in classnames]
            with torch.no_grad():
                tokens = clip.tokenize(prompts)
                embedding = clip.token_embedding(tokens)
                eot = clip.eot_indices(tokens)
            self._frozen_cache[key] = (embedding[:, :1], embedding[:, 1 + self.n_ctx_text:], eot)
        return self._frozen_cache[key]

    def text_prompts(self, classnames: Sequence[str],
                     clip: nn.Module) -> Tuple[torch.Tensor, torch.Tensor, Optional[DeepPrompts]]:
        """Prompt embeddings ``(C, L, D)``, end-of-text positions ``(C,)`` and the deep text
        prompts (context positions ``1..M`` replaced before blocks ``1..depth_text-1``)."""
        prefix, suffix, eot = self.frozen_parts(list(classnames), clip)
        ctx = self.ctx.to(prefix.dtype).unsqueeze(0).expand(len(prefix), -1, -1)
        embeddings = torch.cat([prefix, ctx, suffix], dim=1)
        deep = None
        if self.depth_text > 1:
            deep = DeepPrompts({
                i + 1: p
                for i, p in enumerate(self.text_deep)
            },
                               position=1,
                               in_input=True)
        return embeddings, eot, deep

    def vision_prompts(self) -> Optional[DeepPrompts]:
        """Vision prompts after the patch tokens, before blocks ``0..depth_vision-1``."""
        if not self.depth_vision:
            return None
        return DeepPrompts({i: p for i, p in enumerate(self.vision)}, position='end')

    def recipe(self) -> dict:
        """What a checkpoint of these prompts must agree on with the config that loads it."""
        return dict(
            n_ctx_text=self.n_ctx_text,
            n_ctx_vision=self.n_ctx_vision,
            depth_text=self.depth_text,
            depth_vision=self.depth_vision,
            prompt_prefix=self.prompt_prefix if self.ctx_init else None,
            clip_model=self.clip_model_name)
