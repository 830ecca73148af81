"""Tiny models for the analysis tests: CoOp, zero-shot CLIP, FVG-PT and a visually prompted
backbone on the tiny random CLIP (32 px, 4x4 patches, 2 vision blocks)."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from fvgpt.models.classifiers import BasePromptClassifier
from fvgpt.models.clip.prompted_transformer import DeepPrompts
from fvgpt.registry import MODELS
from fvgpt.testing import tiny_clip_cfg, tiny_coop_cfg

CLASSES = ['red circle', 'green square', 'blue star', 'yellow ring', 'purple cross']


def build(cfg: dict, classes: Sequence[str] = CLASSES, subsample: Optional[str] = None):
    torch.manual_seed(0)
    model = MODELS.build(cfg).eval()
    model.set_class_list(classes, 'a photo of a {}.', subsample)
    return model


def coop():
    return build(tiny_coop_cfg(n_ctx=4))


def zero_shot():
    return build(dict(type='ZeroShotCLIP', clip=tiny_clip_cfg()))


def fvgpt(subsample: str):
    torch.manual_seed(0)
    model = MODELS.build(dict(type='FVGPT', backbone=tiny_coop_cfg(n_ctx=4))).eval()
    # far from the near-identity init, so that the adapters and gates shape the logits
    torch.manual_seed(1)
    for p in [*model.base_head.parameters(), *model.new_head.parameters()]:
        p.data.normal_(0, 0.3)
    model.set_class_list(CLASSES, 'a photo of a {}.', subsample)
    return model


@MODELS.register_module(force=True)
class TinyPromptedClassifier(BasePromptClassifier):
    """A visually prompted backbone (IVLP-like): ``n`` prompt tokens entering before block 0 at
    ``position`` (``'end'`` or an index), class text from the hand template."""

    image_encoder = 'prompted'

    def __init__(self,
                 clip: dict,
                 position='end',
                 num_tokens: int = 3,
                 no_grad_image: bool = False):
        super().__init__(clip=clip)
        width = self.clip.model.visual.transformer.width
        self.visual_prompt = nn.Parameter(torch.randn(num_tokens, width) * 0.5)
        self.position = position
        self.no_grad_image = no_grad_image

    def prompts(self) -> DeepPrompts:
        return DeepPrompts(tokens={0: self.visual_prompt}, position=self.position)

    def image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        with torch.set_grad_enabled(not self.no_grad_image and torch.is_grad_enabled()):
            return self.clip.encode_image(
                inputs, normalize=True, prompts=self.prompts()).unsqueeze(1)

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        return self.foundation_text_feats(classnames)


def prompted(position='end', no_grad_image: bool = False):
    return build(
        dict(
            type='TinyPromptedClassifier',
            clip=tiny_clip_cfg(),
            position=position,
            no_grad_image=no_grad_image))


def images(num: int = 3, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(num, 3, 32, 32, generator=gen)


def last_tokens_by_hand(model: BasePromptClassifier, inputs: torch.Tensor):
    """Runs the tiny ViT block by block; returns a leaf holding the tokens entering the last
    block, the function from it to the normalized image features (the last block and the rest
    of the tower), the function picking its patch tokens, and the tokens themselves."""
    visual = model.clip.model.visual
    x = visual._embeds(inputs)
    n, start = 0, None
    if isinstance(model, TinyPromptedClassifier):
        n = model.visual_prompt.shape[0]
        start = x.shape[1] if model.position == 'end' else model.position
        tokens = visual.ln_pre(model.visual_prompt).unsqueeze(0).expand(x.shape[0], -1, -1)
        x = torch.cat([x[:, :start], tokens, x[:, start:]], dim=1)
    blocks = visual.transformer.resblocks
    with torch.no_grad():
        for block in blocks[:-1]:
            x = block(x)
        last_in = x.clone()
    leaf = last_in.clone().requires_grad_(True)

    def rest(t: torch.Tensor) -> torch.Tensor:
        t = blocks[-1](t)
        if n:
            t = torch.cat([t[:, :start], t[:, start + n:]], dim=1)
        pooled, _ = visual._pool(t)
        return F.normalize(pooled @ visual.proj, dim=-1)

    def patches(t: torch.Tensor) -> torch.Tensor:
        if n:
            t = torch.cat([t[:, :start], t[:, start + n:]], dim=1)
        return t[:, 1:]

    return leaf, rest, patches, last_in


def ivlp_cfg() -> dict:
    return dict(
        type='IVLP',
        clip=tiny_clip_cfg(),
        prompt_learner=dict(
            type='IVLPPromptLearner', n_ctx_text=2, n_ctx_vision=2, depth_text=2, depth_vision=2))


def ivlp(fvgpt_subsample: Optional[str] = None):
    if fvgpt_subsample is None:
        return build(ivlp_cfg())
    torch.manual_seed(0)
    model = MODELS.build(dict(type='FVGPT', backbone=ivlp_cfg())).eval()
    model.set_class_list(CLASSES, 'a photo of a {}.', fvgpt_subsample)
    return model
