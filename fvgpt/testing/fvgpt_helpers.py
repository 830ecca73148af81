"""Helpers of FVG-PT's tests: a small fake backbone behind the BasePromptClassifier contract
and dataloader-like batches."""
import zlib
from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from fvgpt.models.classifiers import BasePromptClassifier

DIM = 8


def name_vector(text: str) -> torch.Tensor:
    """A fixed random vector per string."""
    gen = torch.Generator().manual_seed(zlib.crc32(text.encode()))
    return torch.randn(DIM, generator=gen)


class FakeCLIP(nn.Module):
    """Image encoder: 4x4 average pool + linear. Text: a fixed vector per class name (and
    template). Counts its text-encoder calls."""

    embed_dim = DIM

    def __init__(self, scale: float = 100.0):
        super().__init__()
        self.visual = nn.Linear(3 * 4 * 4, DIM)
        self.register_buffer('scale', torch.tensor(scale))
        self.text_calls = 0
        self.image_calls = []

    @property
    def logit_scale(self) -> torch.Tensor:
        return self.scale

    def encode_image(self, images: torch.Tensor, normalize: bool = True) -> torch.Tensor:
        self.image_calls.append(images.shape[0])
        feats = self.visual(F.adaptive_avg_pool2d(images, 4).flatten(1))
        return F.normalize(feats, dim=-1) if normalize else feats

    def zeroshot_weights(self, classnames: Sequence[str], templates: Sequence[str]):
        self.text_calls += 1
        feats = torch.stack(
            [name_vector(c) + 0.3 * name_vector(t) for c in classnames for t in templates[:1]])
        return F.normalize(feats, dim=-1).to(self.scale.device)


class FakeBackbone(BasePromptClassifier):
    """A CoOp-like backbone: CLIP's image encoder and a tuned vector added to the class text."""

    image_encoder = 'clip'

    def __init__(self, clip: Optional[nn.Module] = None):
        super().__init__(clip=clip or FakeCLIP())
        self.ctx = nn.Parameter(0.5 * torch.randn(DIM))
        self.text_calls = 0

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        self.text_calls += 1
        feats = torch.stack([name_vector(c) for c in classnames]).to(self.ctx.device)
        return F.normalize(feats + self.ctx, dim=-1)


BASE = ['red circle', 'green square', 'blue star']
NEW = ['yellow circle', 'purple square']


def make_batch(num: int = 4,
               size: int = 16,
               num_classes: int = 3,
               with_fg: bool = True,
               seed: int = 0,
               areas: Optional[Sequence[float]] = None) -> dict:
    """A dataloader batch as mmpretrain.PackInputs makes it: uint8 CHW images, DataSamples with
    the label and (optionally) the foreground view, mask and validity."""
    rng = np.random.default_rng(seed)
    inputs, samples = [], []
    for i in range(num):
        img = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        mask = np.zeros((size, size), np.uint8)
        side = size // 2
        mask[:side, :side] = 1
        if areas is not None:
            mask = (rng.random((size, size)) < areas[i]).astype(np.uint8)
        sample = DataSample().set_gt_label(i % num_classes)
        if with_fg:
            fg = img.copy()
            fg[mask == 0] = (104, 117, 123)
            sample.set_field(fg, 'img_fg')
            sample.set_field(mask, 'gt_fg_mask')
            sample.set_field(True, 'fg_mask_valid')
        inputs.append(torch.from_numpy(img).permute(2, 0, 1).contiguous())
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)
