"""The test split with its foreground masks, as the analyses read it.

The masks come from where training masks come from (the dataset's ``mask/`` folder in the
authors' bundle layout, or a folder written by ``tools/prepare_foreground.py``): the config's
test dataset is built with ``with_mask=True`` and ``on_missing='invalid'`` (an image without a
mask is kept for accuracy and reported, never counted in the shift index), its pipeline loads
the mask right after the image, and every geometric transform must be a paired one
(``Paired*``), so that map and mask stay aligned.
"""
import copy
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import pseudo_collate
from mmengine.registry import DATASETS

from fvgpt.segmentation.mask_io import read_binary_mask
from fvgpt.segmentation.mask_layout import MaskLayout, resolve_mask_root

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


#: The dataloader each split's dataset config is taken from (its few-shot draw included).
SPLIT_LOADERS = {'train': 'train_dataloader', 'val': 'val_dataloader', 'test': 'test_dataloader'}
FG_VIEW_KEYS = ('img_fg', *MASK_KEYS)


def foreground_view_dataset_cfg(cfg: Config,
                                split: str = 'train',
                                mask_root: Optional[str] = None) -> dict:
    """The base classes of ``split`` with FVG-PT's foreground view, made deterministically.

    The images of ``split`` come from the config's dataloader of that split (the training set:
    its few-shot draw); the pipeline is the test pipeline's (resize + center crop, paired, so
    the mask follows the image) with the mask loaded after the image and the training
    pipeline's own ``ForegroundView`` (same mode and fill) before ``PackInputs``, which packs
    ``img_fg``, ``gt_fg_mask`` and ``fg_mask_valid`` as in training. Missing masks are kept as
    invalid (FVG-PT's area rule then sets ``r = 0``).

    Args:
        cfg (Config): an FVG-PT config (its training pipeline has a ``ForegroundView``).
        split (str): ``'train'`` (default: the images the gates were trained on), ``'val'`` or
            ``'test'``.
        mask_root (str, optional): the mask folder; defaults to the training set's
            ``mask_root`` (the masks FVG-PT trained with), else the dataset's default.

    Returns:
        dict: the dataset config.
    """
    if split not in SPLIT_LOADERS:
        raise ValueError(f'split must be one of {sorted(SPLIT_LOADERS)}, got "{split}".')
    loaders = {name: (cfg.get(key) or {}).get('dataset') for name, key in SPLIT_LOADERS.items()}
    for name in (split, 'train', 'test'):
        if not loaders[name]:
            raise KeyError(f'The config has no {SPLIT_LOADERS[name]}.dataset: the foreground '
                           f'views of the {split} split need it.')
    train_pipeline = loaders['train'].get('pipeline') or ()
    views = [t for t in train_pipeline if str(t.get('type', '')).split('.')[-1] == 'ForegroundView']
    if not views:
        raise ValueError('The training pipeline of the config has no ForegroundView: give an '
                         'FVG-PT config (configs/fvgpt/...), whose training set makes the '
                         'foreground view x_fg.')
    pipeline = mask_pipeline(loaders['test'].get('pipeline') or (), 'test_dataloader')
    # mask_pipeline checked that there is one PackInputs: the view is made right before it
    pack = [str(t.get('type', '')).split('.')[-1] for t in pipeline].index('PackInputs')
    pipeline.insert(pack, dict(_plain(views[0])))
    pipeline[pack + 1]['algorithm_keys'] = tuple(
        dict.fromkeys([*pipeline[pack + 1].get('algorithm_keys', ()), *FG_VIEW_KEYS]))
    dataset = copy.deepcopy(_plain(loaders[split]))
    dataset.update(subsample='base', with_mask=True, on_missing='invalid', pipeline=pipeline)
    mask_root = mask_root if mask_root is not None else loaders['train'].get('mask_root')
    if mask_root is not None:
        dataset['mask_root'] = mask_root
    return dataset


def mask_folder_reader(dataset, mask_root: str) -> Callable[[str], np.ndarray]:
    """A reader of the masks in another folder laid out as ``dataset``'s (e.g. exact masks to
    score its training masks against).

    Args:
        dataset: a dataset of fvgpt (``data_root``, ``dataset_root``, ``image_root``).
        mask_root (str): the folder; a relative one is taken from the dataset's ``data_root``.

    Returns:
        Callable[[str], np.ndarray]: image path -> its ``(H, W)`` uint8 mask in {0, 1}; a
        missing or unreadable file raises ``FileNotFoundError`` naming the paths tried.
    """
    layout = MaskLayout(dataset.dataset_root, dataset.image_root,
                        resolve_mask_root(dataset.data_root, dataset.dataset_root, mask_root))

    def read(img_path: str) -> np.ndarray:
        path = layout.find(img_path)
        mask = read_binary_mask(path) if path else None
        if mask is None:
            tried = path or ', '.join(layout.candidates(img_path))
            raise FileNotFoundError(f'No readable reference mask for {img_path} in {mask_root} '
                                    f'(tried {tried}): give a folder that holds a mask for every '
                                    'image of the split.')
        return mask

    return read


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
