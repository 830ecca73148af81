"""CoCoOp's context: CoOp's shared context shifted per image by a small meta-network.

Zhou et al., "Conditional Prompt Learning for Vision-Language Models", CVPR 2022 (GitHub
KaiyangZhou/CoOp ``trainers/cocoop.py``, ``PromptLearner``). For an image feature ``v`` the
meta-net ``h`` (``Linear(d, d / 16)``, ReLU, ``Linear(d / 16, D)``) gives one shift ``pi = h(v)``
that is added to every context vector, ``x_m(v) = x_m + pi``; the prompt of class ``c`` for that
image is ``[SOT] x_1(v) .. x_M(v) CLASSNAME . [EOT]``. Shapes (B images, C classes, M = n_ctx,
D = text width, L' = positions up to the last end-of-text token)::

    ctx        (M, D)             learned, shared by all classes
    meta_net   d -> d/16 -> D     learned
    prompts    (B * C, L', D)     image-major: row b * C + c is class c for image b
"""
from collections import OrderedDict
from typing import Sequence, Tuple

import torch
import torch.nn as nn

from fvgpt.registry import MODELS
from .coop_prompt_learner import CoOpPromptLearner


@MODELS.register_module()
class CoCoOpPromptLearner(CoOpPromptLearner):
    """CoOp's context of ``n_ctx`` vectors plus CoCoOp's meta-net, class token at the end.

    The prompts of all images and classes are built as one batch, already cut after the last
    end-of-text position (the text transformer is causal: later positions never reach the
    pooled feature), so one text-encoder call encodes them all.

    Args:
        clip (OpenCLIP): the CLIP wrapper, used at construction only.
        n_ctx (int, optional): number of context tokens; with ``ctx_init`` it may be None and
            must otherwise equal its token count. Defaults to 4 (the authors' ``N_CTX``).
        ctx_init (str, optional): phrase whose token embeddings initialize the context.
            Defaults to ``'a photo of a'`` (``CTX_INIT`` of ``vit_b16_c4_ep10_batch1_ctxv1``);
            None draws it from N(0, ``init_std``^2).
        meta_net_ratio (int): the meta-net's hidden width is the image feature width divided by
            this (the authors' ``vis_dim // 16``). Defaults to 16.
        init_std (float): std of a random context init. Defaults to 0.02.
    """

    def __init__(self,
                 clip: nn.Module,
                 n_ctx: int = 4,
                 ctx_init: str = 'a photo of a',
                 meta_net_ratio: int = 16,
                 init_std: float = 0.02):
        super().__init__(
            clip,
            n_ctx=n_ctx,
            ctx_init=ctx_init,
            class_specific=False,
            class_token_position='end',
            init_std=init_std)
        vis_dim, ctx_dim = clip.embed_dim, clip.text_width
        hidden = vis_dim // meta_net_ratio if meta_net_ratio > 0 else 0
        if hidden < 1:
            raise ValueError(f'meta_net_ratio={meta_net_ratio} leaves no hidden unit for image '
                             f'features of width {vis_dim}: use a ratio in 1..{vis_dim}.')
        self.meta_net_ratio = meta_net_ratio
        self.meta_net = nn.Sequential(
            OrderedDict([('linear1', nn.Linear(vis_dim, hidden)), ('relu', nn.ReLU(inplace=True)),
                         ('linear2', nn.Linear(hidden, ctx_dim))]))

    def forward(self, classnames: Sequence[str], clip: nn.Module,
                image_feats: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Prompt embeddings of every class for every image, and their end-of-text positions.

        Args:
            classnames (Sequence[str]): the ``C`` class names.
            clip (OpenCLIP): the CLIP wrapper (token embeddings of the frozen parts).
            image_feats (Tensor): normalized image features ``(B, d)``.

        Returns:
            tuple: embeddings ``(B * C, L', D)`` (image-major) and end-of-text positions
            ``(B * C,)``.
        """
        classnames = list(classnames)
        if self.training and torch.is_grad_enabled():
            self.fit_classnames = classnames
        prefix, suffix, _, eot = self.frozen_parts(classnames, clip)
        suffix = suffix[:, :int(eot.max()) + 1 - 1 - self.n_ctx]  # the causal cut
        num_images, num_classes = image_feats.shape[0], len(classnames)
        shift = self.meta_net(image_feats.to(self.meta_net.linear1.weight.dtype))  # (B, D)
        ctx = (self.ctx.unsqueeze(0) + shift.unsqueeze(1)).to(prefix.dtype)  # (B, M, D)
        prompts = torch.cat([
            prefix.unsqueeze(0).expand(num_images, -1, -1, -1),
            ctx.unsqueeze(1).expand(-1, num_classes, -1, -1),
            suffix.unsqueeze(0).expand(num_images, -1, -1, -1),
        ],
                            dim=2)
        return prompts.flatten(0, 1), eot.repeat(num_images)

    def recipe(self) -> dict:
        """CoOp's context recipe and the meta-net's widths."""
        return dict(
            super().recipe(),
            meta_net_widths=[
                self.meta_net.linear1.in_features, self.meta_net.linear1.out_features,
                self.meta_net.linear2.out_features
            ])
