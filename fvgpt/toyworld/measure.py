"""Measurements of a written toy world for its conditions: masks' IoU and attention shift.

Both read a world as :func:`~fvgpt.toyworld.write_toyworld` wrote it and compare against the
*exact* masks, re-rendered from the generator config in its meta file (the written ``mask/`` of
the train split may hold deliberately degraded masks).
"""
import json
import os.path as osp
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import torch
from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD
from PIL import Image

from .conditions import foreground_shift, iou_summary, mask_iou
from .grad_cam import text_classifier_grad_cam
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
        mask_dir (str): folder of masks laid out like ``images/`` (e.g. the segmenter's
            ``mask_seg``), PNG, > 0 is foreground.
        split (str): the split whose images are scored. Defaults to 'train' (FVG-PT's masks).

    Returns:
        list[float]: one IoU per image of the split, in split-file order.
    """
    world, items = read_world(dataset_dir)
    ious = []
    for relpath, label, _ in items[split]:
        path = osp.join(mask_dir, relpath)
        if not osp.isfile(path):
            raise FileNotFoundError(f'Mask {path} is missing: make the masks of the {split} split '
                                    'first (tools/prepare_foreground.py).')
        pred = np.asarray(Image.open(path).convert('L'))
        exact = world.sample(split, label, _index(relpath)).mask
        ious.append(mask_iou(pred, exact))
    return ious


def split_images(dataset_dir: str, split: str, subsample: str,
                 per_class: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images, exact masks and labels of the base or new classes of a split.

    Labels of the new classes are re-indexed from 0, as the B2N protocol does.

    Returns:
        tuple: uint8 images ``(N, H, W, 3)``, uint8 masks ``(N, H, W)``, labels ``(N,)``.
    """
    world, items = read_world(dataset_dir)
    base = subsample == 'base'
    images, masks, labels, seen = [], [], [], {}
    for relpath, label, _ in items[split]:
        if (label < world.num_base) != base:
            continue
        seen[label] = seen.get(label, 0) + 1
        if per_class is not None and seen[label] > per_class:
            continue
        sample = world.sample(split, label, _index(relpath))
        images.append(sample.image)
        masks.append(sample.mask)
        labels.append(label if base else label - world.num_base)
    return np.stack(images), np.stack(masks), np.asarray(labels)


def to_clip_input(images: np.ndarray) -> torch.Tensor:
    """uint8 RGB ``(N, H, W, 3)`` -> CLIP-normalized ``(N, 3, H, W)`` float (no resizing)."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 255.0
    mean = torch.tensor(OPENAI_DATASET_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(OPENAI_DATASET_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def shift_indices(models: Mapping[str, torch.nn.Module], images: np.ndarray,
                  masks: np.ndarray, batch_size: int = 50) -> Dict[str, float]:
    """Foreground shift index (Grad-CAM of the predicted class) of each model on the images.

    Args:
        models (Mapping): name -> classifier with its class list set (see
            :func:`~fvgpt.toyworld.grad_cam.text_classifier_grad_cam`).
        images (np.ndarray): uint8 RGB images at the models' input size.
        masks (np.ndarray): their exact masks.
        batch_size (int): images per Grad-CAM pass. Defaults to 50.
    """
    out = {}
    for name, model in models.items():
        maps = []
        for start in range(0, len(images), batch_size):
            batch = to_clip_input(images[start:start + batch_size])
            maps.append(text_classifier_grad_cam(model, batch)[0].numpy())
        out[name] = foreground_shift(np.concatenate(maps), masks)
    return out


def mask_quality(dataset_dir: str, mask_dir: str, split: str = 'train') -> Dict[str, float]:
    """:func:`~fvgpt.toyworld.conditions.iou_summary` of the masks in ``mask_dir``."""
    return iou_summary(segmenter_mask_ious(dataset_dir, mask_dir, split))


def maps_for_grid(models: Sequence[torch.nn.Module], images: np.ndarray) -> List[np.ndarray]:
    """Grad-CAM maps ``(N, H, W)`` of each model on the same images (for a figure)."""
    return [text_classifier_grad_cam(m, to_clip_input(images))[0].numpy() for m in models]
