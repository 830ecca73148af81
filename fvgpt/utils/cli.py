"""What tools/train.py and tools/test.py do alike to a config from the command line."""
import argparse
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config, DictAction

from .seed import apply_seed


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """``--cfg-options``, ``--seed``, ``--launcher`` and ``--local-rank``, as both tools take."""
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, key=value (e.g. '
                        'test_dataloader.dataset.subsample=new)')
    parser.add_argument('--seed', type=int, default=None,
                        help='the seed of the run: sets randomness.seed, the few-shot draw seed '
                        'of every dataset, fills "{seed}" in config strings, and, without '
                        '--work-dir, makes the work dir work_dirs/<config name>/seed<S>')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_common_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parses, and exports ``LOCAL_RANK`` for launchers that only pass ``--local-rank``."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def apply_common_args(cfg: Config, config_path: str, launcher: str = 'none',
                      cfg_options: Optional[dict] = None, work_dir: Optional[str] = None,
                      seed: Optional[int] = None) -> Config:
    """Launcher, ``--cfg-options``, the work dir and the seed, in that order.

    The work dir is ``work_dir`` when given, else the config's ``work_dir``, else
    ``work_dirs/<config name>`` (mmpretrain's default); with a ``seed``, a ``seed<S>`` folder
    inside it, one per seed of the B2N protocol. Then :func:`apply_seed`.
    """
    cfg.launcher = launcher
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
