"""TCP's prompts: CoOp's shared context plus class-aware tokens made from the hand prompt.

TCP (Yao et al., "TCP: Textual-based Class-aware Prompt tuning for Visual-Language Model", CVPR
2024; htyao89/Textual-based_Class-aware_prompt_tuning ``trainers/tcp.py``). Shapes (C classes,
M = n_ctx, L = context length, D = text width, d = CLIP's joint embedding width)::

    prompt        (C, L, D)   [SOT] X_1 .. X_M <template words> [EOT] ..., X the shared context
    hand feats u  (C, d)      the frozen CLIP's normalized features of the hand-made prompt
    class tokens  (C, M, D)   meta_net(u): Linear(d, d/4) - QuickGELU - Linear(d/4, M D)

The class tokens replace the context positions ``1..M`` of the text sequence before one text
block (``class_token_block``; the authors' block 8 of ViT-B/16's 12, 0-based). The classifier
(:class:`fvgpt.models.classifiers.TCP`) passes them to the CLIP wrapper as ``DeepPrompts``.
"""
from collections import OrderedDict
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from open_clip.transformer import QuickGELU

from fvgpt.registry import MODELS
from .coop_prompt_learner import CoOpPromptLearner


@MODELS.register_module()
class TCPPromptLearner(CoOpPromptLearner):
    """CoOp's context shared by all classes, a dataset's prompt template, and TCP's meta-net.

    Args:
        clip (OpenCLIP): the CLIP wrapper, used at construction only.
        n_ctx (int, optional): context tokens ``M`` (also the number of class-aware tokens).
            Defaults to 4 (the authors' ``N_CTX``).
        ctx_init (str, optional): phrase initializing the context. None (the authors' yaml:
            ``CTX_INIT: False``) draws it from N(0, ``init_std``^2).
        prompt_template (str): the words after the context, with one ``{}`` for the class name:
            the authors' per-dataset ``CUSTOM_TEMPLATES`` without their leading context (e.g.
            ``'{}, a type of pet.'``; UCF101's ``'a photo of a person doing {}.'`` has its first
            ``M`` words replaced by the context, so ``'person doing {}.'``). Defaults to
            ``'{}.'`` (CoOp's prompt).
        class_token_block (int): 0-based text block before which the class-aware tokens replace
            the context positions. Defaults to 8 (the authors' ``layers=[8]``).
        init_std (float): std of the random context init. Defaults to 0.02.
    """

    def __init__(self,
                 clip: nn.Module,
                 n_ctx: int = 4,
                 ctx_init: Optional[str] = None,
                 prompt_template: str = '{}.',
                 class_token_block: int = 8,
                 init_std: float = 0.02):
        if prompt_template.count('{}') != 1:
            raise ValueError(f'prompt_template must hold one "{{}}" for the class name, got '
                             f'"{prompt_template}".')
        text_blocks = len(clip.text['transformer'].resblocks)
        if not 0 <= class_token_block < text_blocks:
            raise ValueError(f'class_token_block must be in [0, {text_blocks - 1}] (the text '
                             f'transformer of {clip.model_name} has {text_blocks} blocks, '
                             f'0-based), got {class_token_block}.')
        super().__init__(clip, n_ctx=n_ctx, ctx_init=ctx_init, init_std=init_std)
        self.prompt_template = prompt_template
        self.class_token_block = class_token_block
        embed_dim, width = clip.embed_dim, clip.text_width
        # Layer names as the authors' meta_net, so their weights map one to one.
        self.meta_net = nn.Sequential(
            OrderedDict([('linear1', nn.Linear(embed_dim, embed_dim // 4)), ('relu', QuickGELU()),
                         ('linear2', nn.Linear(embed_dim // 4, self.n_ctx * width))]))

    def frozen_parts(self, classnames: Sequence[str], clip: nn.Module) -> Tuple[torch.Tensor, ...]:
        """Token embeddings around the context of ``X .. X <prompt_template>``, per class list.

        Returns:
            tuple: ``prefix (C, 1, D)``, ``suffix (C, L-1-M, D)``, ``name_lens (C,)`` and
            ``eot (C,)``.
        """
        key = (tuple(classnames), str(self.ctx.device), self.prompt_template)
        if key not in self._frozen_cache:
            placeholder = ' '.join(['X'] * self.n_ctx)
            names = [name.replace('_', ' ') for name in classnames]
            prompts = [f'{placeholder} {self.prompt_template.format(name)}' for name in names]
            with torch.no_grad():
                tokens = clip.tokenize(prompts)
                embedding = clip.token_embedding(tokens)
                eot = clip.eot_indices(tokens)
                name_lens = clip.eot_indices(clip.tokenize(names)) - 1
            self._frozen_cache[key] = (embedding[:, :1], embedding[:,
                                                                   1 + self.n_ctx:], name_lens, eot)
        return self._frozen_cache[key]

    def class_tokens(self, hand_feats: torch.Tensor) -> torch.Tensor:
        """TCP's class-aware tokens ``(C, M, D)`` from the hand-prompt features ``u`` ``(C, d)``."""
        tokens = self.meta_net(hand_feats.to(self.meta_net.linear1.weight.dtype))
        return tokens.view(hand_feats.shape[0], self.n_ctx, -1)

    def recipe(self) -> dict:
        return dict(
            super().recipe(),
            prompt_template=self.prompt_template,
            class_token_block=self.class_token_block)
