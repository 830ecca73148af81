"""Train a model from a config, as mmpretrain's tools/train.py does.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp] [--data-root DIR]
        [--cfg-options key=value ...] [--launcher none|pytorch|slurm]

A deterministic training pipeline (CoOp's stage 1: resize + center crop) gives the frozen CLIP the
same inputs every epoch: ``--cfg-options feature_cache.train=True`` (or ``feature_cache =
dict(train=True)`` in the config) reads their image features from ``<work_dir>/feature_cache``
after the first epoch. Validation caches by default (``feature_cache.test``).
"""
import argparse
import os.path as osp

from mmengine.config import Config

from fvgpt.engine import build_runner, feature_cache_hook
from fvgpt.setup_env import register_all_modules
from fvgpt.utils import apply_common_args, prepare_cpu_distributed, shutdown_distributed
from fvgpt.utils.cli import add_common_args, find_resume_checkpoint, parse_common_args


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a CLIP prompt-tuning model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--work-dir',
        help='the dir to save logs and checkpoints; defaults to '
        'work_dirs/<config name>')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, with no value, from the '
        'latest checkpoint in the work dir')
    parser.add_argument('--amp', action='store_true', help='mixed-precision training')
    parser.add_argument(
        '--no-validate', action='store_true', help='skip validation during training')
    add_common_args(parser)
    return parse_common_args(parser)


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Applies the command line to the config (the CLI only overrides what it names)."""
    apply_common_args(cfg, args.config, args.launcher, args.cfg_options, args.work_dir, args.seed,
                      args.data_root)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        # the work dir's last_checkpoint, checked here: mmengine would start from scratch
        # silently ("Auto resumed from the latest checkpoint None")
        latest = find_resume_checkpoint(cfg.work_dir)
        cfg.resume = latest is not None
        cfg.load_from = latest
    elif args.resume is not None:
        if not osp.isfile(args.resume):
            raise FileNotFoundError(f'--resume {args.resume}: no such checkpoint file. Give an '
                                    'epoch_N.pth of the work dir, or --resume alone for the '
                                    'latest one.')
        cfg.resume = True
        cfg.load_from = args.resume
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    return cfg


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = merge_args(Config.fromfile(args.config), args)
    prepare_cpu_distributed(cfg)
    runner = build_runner(cfg)
    # the config's feature_cache (training: off unless feature_cache.train=True)
    runner.register_hook(feature_cache_hook(cfg))
    if args.resume == 'auto' and cfg.load_from is None:
        runner.logger.warning(f'--resume: no checkpoint found in {cfg.work_dir} (no '
                              'last_checkpoint file): training starts fresh from epoch 0.')
    runner.train()
    shutdown_distributed()


if __name__ == '__main__':
    main()
