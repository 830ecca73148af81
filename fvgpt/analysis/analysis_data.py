"""The test split with its foreground masks, as the analyses read it.

The masks come from where training masks come from (the dataset's ``mask/`` folder in the
authors' bundle layout, or a folder written by ``tools/prepare_foreground.py``): the config's
test dataset is built with ``with_mask=True`` and ``on_missing='invalid'`` (an image without a
mask is kept for accuracy and reported, never counted in the shift index), its pipeline loads
the mask right after the image, and every geometric transform must be a paired one
(``Paired*``), so that map and mask stay aligned.
"""
import copy
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import pseudo_collate
from mmengine.registry import DATASETS

#: Geometric transforms that would move the image but not its mask.
UNPAIRED_GEOMETRIC = ('Resize', 'ResizeEdge', 'CenterCrop', 'RandomResizedCrop', 'RandomCrop',
                      'RandomFlip', 'Pad', 'RandomResize')
MASK_KEYS = ('gt_fg_mask', 'fg_mask_valid')


def mask_pipeline(pipeline: Sequence[dict], source: str = 'test_dataloader') -> List[dict]:
    """``pipeline`` that also loads the foreground mask and packs it with the image."""
    out = [dict(t) for t in pipeline]
    names = [str(t.get('type', '')).split('.')[-1] for t in out]
    bad = [n for n in names if n in UNPAIRED_GEOMETRIC]
    if bad:
        raise ValueError(
            f'The {source} pipeline resizes or crops with {bad}, which would not move the '
            'foreground mask with the image: use the paired transforms (PairedResizeEdge, '
            'PairedCenterCrop, PairedResize, ...) in the test pipeline, as the shipped configs do.')
    if 'LoadImageFromFile' not in names:
        raise ValueError(f'The {source} pipeline has no LoadImageFromFile.')
    if 'LoadForegroundMask' not in names:
        out.insert(names.index('LoadImageFromFile') + 1, dict(type='LoadForegroundMask'))
    packs = [t for t in out if str(t.get('type', '')).split('.')[-1] == 'PackInputs']
    if len(packs) != 1:
        raise ValueError(f'The {source} pipeline must end with one PackInputs.')
    packs[0]['algorithm_keys'] = tuple(
        dict.fromkeys([*packs[0].get('algorithm_keys', ()), *MASK_KEYS]))
    return out


def mask_dataset_cfg(cfg: Config, subsample: str = 'base', mask_root: Optional[str] = None) -> dict:
    """The config's test dataset, on ``subsample``, with masks.

    ``mask_root`` defaults to the training dataset's (FVG-PT configs name the folder their
    masks were made into), else the dataset's own default (``<dataset>/mask``).
    """
    loader = cfg.get('test_dataloader')
    if not loader or 'dataset' not in loader:
        raise KeyError('The config has no test_dataloader.dataset: the analyses read the test '
                       'split from it.')
    dataset = copy.deepcopy(_plain(loader['dataset']))
    if mask_root is None:
        train = cfg.get('train_dataloader') or {}
        mask_root = (train.get('dataset') or {}).get('mask_root')
    dataset.update(
        subsample=subsample,
        with_mask=True,
        on_missing='invalid',
        pipeline=mask_pipeline(dataset.get('pipeline', ())))
    if mask_root is not None:
        dataset['mask_root'] = mask_root
    return dataset


def shared_mask_root(cfgs: Sequence[Config], mask_root: Optional[str] = None) -> Optional[str]:
    """One mask folder for several models compared on the same images: ``mask_root`` if given,
    else the first training ``mask_root`` among ``cfgs`` (FVG-PT configs name the folder their
    masks were made into), else None (the dataset's own default)."""
    if mask_root is not None:
        return mask_root
    for cfg in cfgs:
        train = cfg.get('train_dataloader') or {}
        found = (train.get('dataset') or {}).get('mask_root')
        if found is not None:
            return found
    return None


def build_mask_dataset(cfg: Config, subsample: str = 'base', mask_root: Optional[str] = None):
    """Builds :func:`mask_dataset_cfg` (fvgpt's registries must be the default scope)."""
    return DATASETS.build(mask_dataset_cfg(cfg, subsample, mask_root))


def batches(dataset, batch_size: int, indices: Optional[Sequence[int]] = None):
    """Collated batches of ``dataset`` (in order, or of ``indices``)."""
    indices = list(range(len(dataset))) if indices is None else list(indices)
    for start in range(0, len(indices), batch_size):
        yield pseudo_collate([dataset[i] for i in indices[start:start + batch_size]])


def split_batch(model: torch.nn.Module, data: dict) -> Dict[str, object]:
    """A collated batch -> normalized ``inputs``, ``labels``, ``masks``, ``valid``,
    ``images`` (RGB uint8 ``(B, H, W, 3)`` for figures) and ``paths``.

    The masks are taken out of the samples before the model's data preprocessor sees them.
    """
    samples = data['data_samples']
    masks = torch.stack([torch.as_tensor(np.asarray(s.get('gt_fg_mask'))) for s in samples])
    valid = torch.tensor([bool(s.get('fg_mask_valid')) for s in samples])
    for s in samples:
        for key in MASK_KEYS:
            if key in s:
                delattr(s, key)
    raw = torch.stack([torch.as_tensor(img) for img in data['inputs']])  # (B, 3, H, W) BGR
    out = model.data_preprocessor(dict(inputs=data['inputs'], data_samples=samples), False)
    labels = torch.cat([s.gt_label.view(-1) for s in samples])
    return dict(
        inputs=out['inputs'],
        labels=labels.to(out['inputs'].device),
        masks=masks.float(),
        valid=valid,
        images=raw.flip(1).permute(0, 2, 3, 1).numpy().astype(np.uint8),
        paths=[s.get('img_path', str(i)) for i, s in enumerate(samples)])


def _plain(obj):
    if isinstance(obj, (ConfigDict, dict)):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain(v) for v in obj)
    return obj
