"""Test a checkpoint, as mmpretrain's tools/test.py does.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out results.json]
        [--data-root DIR] [--no-feature-cache] [--cfg-options key=value ...]
        [--launcher none|pytorch|slurm]

Frozen CLIP image features (zero-shot CLIP, CoOp, KgCoOp and FVG-PT on them) are cached on disk
(``feature_cache = dict(test=True, dir=...)`` in the config, default ``<work_dir>/feature_cache``;
``--no-feature-cache`` turns it off): see docs/backbone_contract.md, "What may be cached".

Which classes are scored comes from the test dataset's config (for base-to-new:
``--cfg-options test_dataloader.dataset.subsample=new``).
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import Config

from fvgpt.engine import build_runner, feature_cache_hook
from fvgpt.setup_env import register_all_modules
from fvgpt.utils import apply_common_args, prepare_cpu_distributed, shutdown_distributed
from fvgpt.utils.checkpoint import check_checkpoint_covers, load_checkpoint_file
from fvgpt.utils.cli import add_common_args, parse_common_args


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a CLIP prompt-tuning model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=None,
        help='checkpoint file; may be omitted for models with nothing trained '
        '(zero-shot CLIP)')
    parser.add_argument(
        '--work-dir',
        help='the dir to save logs and metrics; defaults to '
        'work_dirs/<config name>')
    parser.add_argument('--out', help='write the metrics to this JSON file')
    parser.add_argument(
        '--no-feature-cache',
        action='store_true',
        help='compute every image feature (by default the frozen CLIP image features of a '
        "deterministic test pipeline are cached in the config's feature_cache.dir, "
        '<work_dir>/feature_cache)')
    add_common_args(parser)
    return parse_common_args(parser)


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    apply_common_args(cfg, args.config, args.launcher, args.cfg_options, args.work_dir, args.seed,
                      args.data_root)
    if args.checkpoint is not None:
        load_checkpoint_file(args.checkpoint)  # names the file if it is not a checkpoint
        cfg.load_from = args.checkpoint
    prepare_cpu_distributed(cfg)
    runner = build_runner(cfg)
    # frozen CLIP image features from <work_dir>/feature_cache (the config's feature_cache)
    runner.register_hook(feature_cache_hook(cfg, test=False if args.no_feature_cache else None))
    if args.checkpoint is not None:
        # mmengine loads with strict=False and only logs what is missing
        check_checkpoint_covers(runner.model, args.checkpoint)
    metrics = runner.test()
    shutdown_distributed()
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            json.dump({k: float(v) for k, v in metrics.items()}, f, indent=2)


if __name__ == '__main__':
    main()
