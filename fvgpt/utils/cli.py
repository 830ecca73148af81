"""What tools/train.py and tools/test.py do alike to a config from the command line."""
import os.path as osp
from typing import Optional

from mmengine.config import Config

from .seed import apply_seed


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
