"""One seed per run: the Runner's random seed, the datasets' few-shot draw, paths naming it."""
from typing import Any, Optional

from mmengine.config import Config

DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def apply_seed(cfg: Config, seed: Optional[int] = None) -> int:
    """Makes ``cfg`` use one seed everywhere and returns it.

    With ``seed`` given (``tools/train.py --seed S``), it becomes ``randomness.seed`` and the
    ``seed`` of every dataloader's dataset that has one (CoOp's few-shot draw). Then, with the
    given seed or else ``randomness.seed``, every string of the config holding ``{seed}`` is
    formatted (e.g. ``backbone_checkpoint='work_dirs/coop_b2n_dtd/seed{seed}/epoch_10.pth'``).

    Returns:
        int: the seed of the run (None when neither is set).
    """
    if seed is not None:
        cfg.setdefault('randomness', {})
        cfg.randomness.seed = seed
        for key in DATALOADERS:
            loader = cfg.get(key)
            if loader and isinstance(loader.get('dataset'), dict):
                _set_dataset_seed(loader.dataset, seed)
    seed = cfg.get('randomness', {}).get('seed', None)
    if seed is not None:
        for key in list(cfg.keys()):
            cfg[key] = _format_seed(cfg[key], seed)
    return seed


def _set_dataset_seed(dataset: dict, seed: int) -> None:
    if 'seed' in dataset:
        dataset['seed'] = seed
    for child in dataset.get('datasets', []) or []:  # ConcatDataset and friends
        _set_dataset_seed(child, seed)
    if isinstance(dataset.get('dataset'), dict):  # RepeatDataset and friends
        _set_dataset_seed(dataset['dataset'], seed)


def _format_seed(value: Any, seed: int) -> Any:
    if isinstance(value, str):
        return value.replace('{seed}', str(seed))
    if isinstance(value, dict):
        for k in list(value.keys()):
            value[k] = _format_seed(value[k], seed)
        return value
    if isinstance(value, list):
        return [_format_seed(v, seed) for v in value]
    if isinstance(value, tuple):
        return tuple(_format_seed(v, seed) for v in value)
    return value
