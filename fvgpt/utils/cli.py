"""What tools/train.py and tools/test.py do alike to a config from the command line."""
import argparse
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config, DictAction

from .seed import DATALOADERS, apply_seed

#: Top-level config keys mmengine's Runner reads besides those a config defines.
RUNNER_KEYS = ('model', 'work_dir', 'train_dataloader', 'val_dataloader', 'test_dataloader',
               'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr', 'optim_wrapper',
               'param_scheduler', 'val_evaluator', 'test_evaluator', 'default_hooks',
               'custom_hooks', 'data_preprocessor', 'load_from', 'resume', 'launcher', 'env_cfg',
               'log_processor', 'log_level', 'visualizer', 'default_scope', 'randomness',
               'experiment_name', 'data_root')
#: Top-level config keys fvgpt's tools read: ``feature_cache = dict(train=False, test=True,
#: dir=None, skip_loading=True)`` (fvgpt.engine.FeatureCacheHook).
FVGPT_KEYS = ('feature_cache', )


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """``--cfg-options``, ``--seed``, ``--launcher`` and ``--local-rank``, as both tools take."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value (e.g. '
        'test_dataloader.dataset.subsample=new)')
    parser.add_argument(
        '--data-root',
        default=None,
        help="the folder holding the datasets (CoOp's $DATA): the data_root of "
        'every dataloader\'s dataset (same as --cfg-options data_root=DIR)')
    parser.add_argument(
        '--seed',
        type=int,
        default=None,
        help='the seed of the run: sets randomness.seed, the few-shot draw seed '
        'of every dataset, fills "{seed}" in config strings, and, without '
        '--work-dir, makes the work dir work_dirs/<config name>/seed<S>')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_common_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parses, and exports ``LOCAL_RANK`` for launchers that only pass ``--local-rank``."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def check_cfg_options(cfg: Config, cfg_options: dict) -> None:
    """Rejects ``--cfg-options`` whose top-level key neither the config nor mmengine's Runner
    has (a misspelling such as ``randomnes.seed=5`` would otherwise be ignored)."""
    known = set(cfg.keys()) | set(RUNNER_KEYS) | set(FVGPT_KEYS)
    unknown = sorted({key.split('.')[0] for key in cfg_options} - known)
    if unknown:
        raise KeyError(f'--cfg-options: unknown top-level key(s) {", ".join(unknown)}. Known keys '
                       f'of this config: {", ".join(sorted(known))}.')


def _set_data_root(dataset: dict, data_root: str) -> None:
    if 'data_root' in dataset or _takes_data_root(dataset):
        dataset['data_root'] = data_root
    for child in dataset.get('datasets', []) or []:  # ConcatDataset and friends
        if isinstance(child, dict):
            _set_data_root(child, data_root)
    if isinstance(dataset.get('dataset'), dict):  # RepeatDataset and friends
        _set_data_root(dataset['dataset'], data_root)


def _takes_data_root(dataset: dict) -> bool:
    """Whether the dataset's class takes ``data_root`` (every mmengine BaseDataset does)."""
    from mmengine.dataset import BaseDataset

    from fvgpt.registry import DATASETS
    cls = dataset.get('type')
    if isinstance(cls, str):
        try:
            cls = DATASETS.get(cls)
        except KeyError:
            return False
    return isinstance(cls, type) and issubclass(cls, BaseDataset)


def propagate_data_root(cfg: Config) -> Optional[str]:
    """Makes the config's top-level ``data_root`` the ``data_root`` of every dataloader's
    dataset (wrapped datasets included), so that it is the one place to set it.

    Returns:
        str | None: the data root, None when the config has no top-level ``data_root``.
    """
    data_root = cfg.get('data_root', None)
    if data_root is None:
        return None
    for key in DATALOADERS:
        loader = cfg.get(key)
        if loader and isinstance(loader.get('dataset'), dict):
            _set_data_root(loader['dataset'], data_root)
    return data_root


def apply_common_args(cfg: Config,
                      config_path: str,
                      launcher: str = 'none',
                      cfg_options: Optional[dict] = None,
                      work_dir: Optional[str] = None,
                      seed: Optional[int] = None,
                      data_root: Optional[str] = None) -> Config:
    """Launcher, ``--cfg-options``, ``--data-root``, the work dir and the seed, in that order.

    Unknown top-level keys in ``cfg_options`` are rejected (:func:`check_cfg_options`). The
    top-level ``data_root`` (``data_root``, else ``--cfg-options data_root=...``, else the
    config's) becomes the ``data_root`` of every dataloader's dataset
    (:func:`propagate_data_root`); the other ``cfg_options`` are merged after it, so an
    explicit ``train_dataloader.dataset.data_root=...`` still wins for that dataset.
    The work dir is ``work_dir`` when given, else the config's ``work_dir``, else
    ``work_dirs/<config name>`` (mmpretrain's default); with a ``seed``, a ``seed<S>`` folder
    inside it, one per seed of the B2N protocol. Then :func:`apply_seed`.
    """
    cfg.launcher = launcher
    cfg_options = dict(cfg_options or {})
    check_cfg_options(cfg, cfg_options)
    if 'data_root' in cfg_options:
        cfg.data_root = cfg_options.pop('data_root')
    if data_root is not None:
        cfg.data_root = data_root
    propagate_data_root(cfg)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    else:
        if cfg.get('work_dir', None) is None:
            cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])
        if seed is not None:
            cfg.work_dir = osp.join(cfg.work_dir, f'seed{seed}')
    apply_seed(cfg, seed)
    return cfg


def find_resume_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint ``--resume`` (without a file) continues from: the one the work dir's
    ``last_checkpoint`` names.

    Returns:
        str | None: the checkpoint; None when the work dir has no ``last_checkpoint``.

    Raises:
        FileNotFoundError: ``last_checkpoint`` names a file that is not there.
    """
    record = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(record):
        return None
    with open(record) as f:
        path = f.read().strip()
    if not osp.isfile(path) and osp.isfile(osp.join(work_dir, osp.basename(path))):
        path = osp.join(work_dir, osp.basename(path))  # the work dir was moved
    if not osp.isfile(path):
        others = sorted(p for p in os.listdir(work_dir) if p.endswith('.pth'))
        raise FileNotFoundError(
            f'--resume: {record} names the checkpoint {path}, which is not there (deleted or '
            f'moved). Resume from another checkpoint with --resume FILE '
            f'({", ".join(osp.join(work_dir, p) for p in others) or "the work dir has none"}), '
            f'or start fresh: delete {record} (or use another --work-dir) and train without '
            '--resume.')
    return path
