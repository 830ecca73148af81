"""Measurements of a written toy world: how good the segmenter's masks are.

They read a world as :func:`~fvgpt.toyworld.write_toyworld` wrote it and compare against the
*exact* masks, re-rendered from the generator config in its meta file (the written ``mask/`` of
the train split may hold deliberately degraded masks). Condition 4's attention shift is measured
by :mod:`fvgpt.analysis` (Grad-CAM, foreground shift index).
"""
import json
import os
import os.path as osp
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch
from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD
from PIL import Image

from .conditions import iou_summary, mask_iou
from .world import ToyWorld, ToyWorldConfig
from .writer import META_FILE, TOYWORLD_INFO


def read_world(dataset_dir: str) -> Tuple[ToyWorld, Dict[str, list]]:
    """The world and its split file, from a written toy-world folder."""
    paths = [osp.join(dataset_dir, META_FILE), osp.join(dataset_dir, TOYWORLD_INFO['split_file'])]
    for path in paths:
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} not found: write the world first '
                                    '(python tools/toyworld/generate.py).')
    with open(paths[0]) as f:
        world = ToyWorld(ToyWorldConfig.from_dict(json.load(f)['config']))
    with open(paths[1]) as f:
        return world, json.load(f)


def _index(relpath: str) -> int:
    return int(osp.splitext(osp.basename(relpath))[0].rsplit('_', 1)[1])


def segmenter_mask_ious(dataset_dir: str, mask_dir: str, split: str = 'train') -> List[float]:
    """IoU of each written mask in ``mask_dir`` with the exact mask of its image.

    Args:
        dataset_dir (str): the written world.
        mask_dir (str): folder of PNG masks (> 0 is foreground) in the repository's mask
            layout (docs/conventions.md): ``<mask_dir>/images/<relpath>`` (as
            tools/prepare_foreground.py writes them), else ``<mask_dir>/<relpath>``.
        split (str): the split whose images are scored. Defaults to 'train' (FVG-PT's masks).

    Returns:
        list[float]: one IoU per image of the split, in split-file order.
    """
    world, items = read_world(dataset_dir)
    ious = []
    for relpath, label, _ in items[split]:
        path = osp.join(mask_dir, TOYWORLD_INFO['image_dir'], relpath)
        if not osp.isfile(path):
            path = osp.join(mask_dir, relpath)
        if not osp.isfile(path):
            raise FileNotFoundError(f'Mask {path} is missing: make the masks of the {split} split '
                                    'first (tools/prepare_foreground.py).')
        pred = np.asarray(Image.open(path).convert('L'))
        exact = world.sample(split, label, _index(relpath)).mask
        ious.append(mask_iou(pred, exact))
    return ious


def exact_mask_reader(dataset_dir: str) -> Callable[[str], np.ndarray]:
    """A reader of the exact mask of any image of a written world, re-rendered by the generator
    (the written ``mask/`` folder holds the degraded masks of the train split, not these).

    Args:
        dataset_dir (str): the written world.

    Returns:
        Callable[[str], np.ndarray]: image path (under ``<dataset_dir>/images``) -> its exact
        ``(H, W)`` uint8 mask in {0, 1}; a path outside the world raises ``KeyError``.
    """
    world, items = read_world(dataset_dir)
    where = {relpath: (split, label) for split, rows in items.items() for relpath, label, _ in rows}
    image_root = osp.join(dataset_dir, TOYWORLD_INFO['image_dir'])

    def exact(img_path: str) -> np.ndarray:
        relpath = osp.relpath(img_path, image_root).replace(os.sep, '/')
        if relpath not in where:
            raise KeyError(f'{img_path} is not an image of the toy world in {dataset_dir} '
                           f'(its split file has no "{relpath}").')
        split, label = where[relpath]
        return world.sample(split, label, _index(relpath)).mask

    return exact


def to_clip_input(images: np.ndarray) -> torch.Tensor:
    """uint8 RGB ``(N, H, W, 3)`` -> CLIP-normalized ``(N, 3, H, W)`` float (no resizing)."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 255.0
    mean = torch.tensor(OPENAI_DATASET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(OPENAI_DATASET_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def mask_quality(dataset_dir: str, mask_dir: str, split: str = 'train') -> Dict[str, float]:
    """:func:`~fvgpt.toyworld.conditions.iou_summary` of the masks in ``mask_dir``."""
    return iou_summary(segmenter_mask_ious(dataset_dir, mask_dir, split))
