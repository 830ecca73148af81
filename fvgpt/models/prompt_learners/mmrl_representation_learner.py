"""MMRL's representation tokens (Guo & Gu, "MMRL: Multi-Modal Representation Learning for
Vision-Language Models", CVPR 2025), as the FVG-PT authors run them (JREion/FVG-PT
``trainers/mmrl.py`` ``MultiModalRepresentationLearner``, ``clip_mmrl/model_mmrl.py``).

``n`` learned tokens ``R (n, rep_dim)`` live in a space shared by both towers; before each listed
layer ``l`` of the image and the text transformer, ``R`` is mapped into that tower by a layer's
own linear map (``R W_l^T + b_l``), and the mapped tokens enter the sequence right after the class
/ start-of-text token: inserted before the first listed layer, replacing the previous layer's
token outputs before the others. The image side also learns ``proj_rep``, the projection of the
representation tokens' pooled output into the joint space.
"""
import copy
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn as nn

from fvgpt.registry import MODELS


@MODELS.register_module()
class MMRLRepresentationLearner(nn.Module):
    """Representation tokens, their per-layer maps into both towers, and ``proj_rep``.

    Args:
        clip (OpenCLIP): the CLIP wrapper, used at construction only (tower widths and depths,
            the joint dimension); not kept as a sub-module.
        n_tokens (int): number of representation tokens. Defaults to 5 (the authors' yaml
            ``N_REP_TOKENS``).
        rep_dim (int): dimension of the shared representation space. Defaults to 512
            (``REP_DIM``).
        rep_layers (Sequence[int]): 1-based transformer layers that receive the tokens, the same
            in both towers, ascending. Defaults to 6..12 (``REP_LAYERS``; ViT-B/16 has 12 layers
            in each tower).
        init_std (float): std of the tokens' normal init. Defaults to 0.02.
    """

    def __init__(self,
                 clip: nn.Module,
                 n_tokens: int = 5,
                 rep_dim: int = 512,
                 rep_layers: Sequence[int] = (6, 7, 8, 9, 10, 11, 12),
                 init_std: float = 0.02):
        super().__init__()
        rep_layers = [int(layer) for layer in rep_layers]
        visual = clip.model.visual
        depths = dict(
            image=len(visual.transformer.resblocks), text=len(clip.text['transformer'].resblocks))
        if n_tokens < 1 or rep_dim < 1:
            raise ValueError(f'MMRL needs n_tokens >= 1 and rep_dim >= 1, got n_tokens={n_tokens}, '
                             f'rep_dim={rep_dim}.')
        if not rep_layers or rep_layers != sorted(set(rep_layers)):
            raise ValueError(f'rep_layers must be a non-empty ascending list of distinct 1-based '
                             f'layers, got {rep_layers}.')
        for tower, depth in depths.items():
            if rep_layers[0] < 1 or rep_layers[-1] > depth:
                raise ValueError(
                    f'rep_layers {rep_layers} do not fit {getattr(clip, "model_name", "this CLIP")}'
                    f': its {tower} transformer has layers 1..{depth} (the authors use 6..12 of '
                    'ViT-B/16\'s 12).')
        visual_width = visual.transformer.width
        self.rep_tokens = nn.Parameter(torch.empty(n_tokens, rep_dim).normal_(std=init_std))
        # One map per layer, all starting from the same random map (the authors clone one
        # nn.Linear per layer).
        to_text = nn.Linear(rep_dim, clip.text_width)
        to_visual = nn.Linear(rep_dim, visual_width)
        self.to_text = nn.ModuleList([copy.deepcopy(to_text) for _ in rep_layers])
        self.to_visual = nn.ModuleList([copy.deepcopy(to_visual) for _ in rep_layers])
        # The authors' proj_rep is a new parameter with CLIP's projection init, not a copy of
        # CLIP's trained `proj`.
        self.proj_rep = nn.Parameter(visual_width**-0.5 * torch.randn(visual_width, clip.embed_dim))
        self.n_tokens = n_tokens
        self.rep_dim = rep_dim
        self.rep_layers = rep_layers
        self.clip_model_name = getattr(clip, 'model_name', type(clip).__name__)

    @property
    def rep_blocks(self) -> List[int]:
        """0-based block indices of :attr:`rep_layers` (the tokens enter before these blocks)."""
        return [layer - 1 for layer in self.rep_layers]

    def forward(self) -> Tuple[Dict[int, torch.Tensor], Dict[int, torch.Tensor]]:
        """The tokens of each listed block, mapped into each tower.

        Returns:
            tuple: ``{block: (n, text_width)}`` and ``{block: (n, visual_width)}``.
        """
        text = {b: lin(self.rep_tokens) for b, lin in zip(self.rep_blocks, self.to_text)}
        visual = {b: lin(self.rep_tokens) for b, lin in zip(self.rep_blocks, self.to_visual)}
        return text, visual

    def recipe(self) -> dict:
        """What a checkpoint of these tokens must agree on with the config that loads it."""
        return dict(
            n_tokens=self.n_tokens,
            rep_dim=self.rep_dim,
            rep_layers=self.rep_layers,
            clip_model=self.clip_model_name)
