"""The foreground shift index and base accuracy over tuning epochs: the paper's Fig. 5.

    python tools/analysis/foreground_shift.py CONFIG --checkpoints WORK_DIR/epoch_*.pth
        [--checkpoints OTHER_RUN_DIR ...] [--compare CONFIG2 RUN_DIR2 ...] [--labels A B ...]
        [--split base] [--method gradcam|cls_attention] [--mask-root DIR] [--no-zero-shot]
        [--work-dir work_dirs/analysis/foreground_shift] [--cfg-options key=value ...]

Each ``--checkpoints`` is one run (checkpoint files, or a work dir: its ``epoch_*.pth``), scored
with CONFIG; ``--compare CONFIG2 PATH ...`` adds a run of another config (e.g. FVG-PT beside
CoOp). For every checkpoint, on the test split with foreground masks: the base accuracy and the
foreground shift index (the share of the attention map's mass outside the mask, averaged over
the images that have a mask; images without one are listed, never counted as 0). Zero-shot CLIP
(the CLIP of CONFIG, nothing tuned) is drawn as a horizontal line. Keep every epoch's checkpoint
with ``--cfg-options default_hooks.checkpoint.max_keep_ckpts=-1`` when training. Writes
``foreground_shift.png`` and ``foreground_shift.json``.
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
from typing import List

from mmengine.config import Config, DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='config of the runs given by --checkpoints')
    parser.add_argument(
        '--checkpoints',
        nargs='+',
        action='append',
        default=[],
        help='one run: checkpoint files or a work dir (repeat for more runs)')
    parser.add_argument(
        '--compare',
        nargs='+',
        action='append',
        default=[],
        metavar='CONFIG PATH',
        help='a run of another config: the config, then '
        'its checkpoints or work dir')
    parser.add_argument('--labels', nargs='+', help='run names (default: the folder names)')
    parser.add_argument('--split', default='base', choices=['base', 'new', 'all'])
    parser.add_argument('--method', default='gradcam', choices=['gradcam', 'cls_attention'])
    parser.add_argument(
        '--mask-root',
        help='folder of the test masks, for every run (default: '
        'the first training mask_root among the configs, else the dataset\'s)')
    parser.add_argument('--no-zero-shot', action='store_true')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--work-dir', default='work_dirs/analysis/foreground_shift')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='merged into every config')
    return parser.parse_args()


def expand(paths: List[str]) -> List[str]:
    """Checkpoint files of a run, in epoch order (a folder gives its ``epoch_*.pth``)."""
    files = []
    for path in paths:
        if osp.isdir(path):
            found = glob.glob(osp.join(path, 'epoch_*.pth'))
            if not found:
                raise FileNotFoundError(f'{path} holds no epoch_*.pth checkpoint.')
            files += found
        elif osp.isfile(path):
            files.append(path)
        else:
            raise FileNotFoundError(f'Checkpoint not found: {path}')

    def epoch(path):
        match = re.search(r'epoch_(\d+)', osp.basename(path))
        return int(match.group(1)) if match else 0

    return sorted(dict.fromkeys(files), key=epoch)


def main() -> None:
    args = parse_args()
    from fvgpt.analysis import (analyze_split, build_mask_dataset, checkpoint_epoch,
                                load_analysis_model, plot_shift_curves, set_class_list_from,
                                shared_mask_root, zero_shot_cfg)
    from fvgpt.setup_env import register_all_modules
    register_all_modules()
    runs = [(args.config, paths) for paths in args.checkpoints]
    runs += [(group[0], group[1:]) for group in args.compare if len(group) > 1]
    if not runs:
        raise SystemExit('Give at least one run: --checkpoints WORK_DIR/epoch_*.pth')
    labels = args.labels or [
        osp.basename(osp.normpath(paths[0] if osp.isdir(paths[0]) else osp.dirname(paths[0])))
        for _, paths in runs
    ]
    if len(labels) != len(runs):
        raise SystemExit(f'--labels gives {len(labels)} names for {len(runs)} runs.')

    def load_cfg(path):
        cfg = Config.fromfile(path)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        return cfg

    # every run and the zero-shot line read the same masks
    mask_root = shared_mask_root([load_cfg(config) for config, _ in runs], args.mask_root)

    def score(cfg, ckpt, desc):
        dataset = build_mask_dataset(cfg, args.split, mask_root)
        model = load_analysis_model(cfg, ckpt, args.device)
        set_class_list_from(model, dataset)
        return analyze_split(model, dataset, args.method, args.batch_size, desc=desc)

    result = dict(split=args.split, method=args.method, mask_root=mask_root, runs={})
    for (config, paths), label in zip(runs, labels):
        cfg = load_cfg(config)
        points = []
        for ckpt in expand(paths):
            epoch = checkpoint_epoch(ckpt)
            out = score(cfg, ckpt, f'{label} epoch {epoch}')
            points.append(
                dict(
                    epoch=epoch,
                    checkpoint=ckpt,
                    config=config,
                    **{
                        k: out[k]
                        for k in ('accuracy', 'shift_index', 'num_images', 'num_used', 'excluded',
                                  'scored_by')
                    }))
            print(
                f'{label} epoch {epoch}: accuracy {out["accuracy"]:.2f}, shift index '
                f'{_fmt(out["shift_index"])} ({out["num_used"]}/{out["num_images"]} images '
                f'used{_excluded(out)})',
                flush=True)
        result['runs'][label] = points
    if not args.no_zero_shot:
        out = score(zero_shot_cfg(load_cfg(args.config)), None, 'zero-shot CLIP')
        result['zero_shot'] = {
            k: out[k]
            for k in ('accuracy', 'shift_index', 'num_images', 'num_used', 'excluded')
        }
        print(
            f'zero-shot CLIP: accuracy {out["accuracy"]:.2f}, shift index '
            f'{_fmt(out["shift_index"])} ({out["num_used"]}/{out["num_images"]} images '
            f'used{_excluded(out)})',
            flush=True)
    os.makedirs(args.work_dir, exist_ok=True)
    png = plot_shift_curves(
        result['runs'],
        osp.join(args.work_dir, 'foreground_shift.png'),
        zero_shot=result.get('zero_shot'),
        title=f'{args.method} on {args.split} test images')
    out_json = osp.join(args.work_dir, 'foreground_shift.json')
    with open(out_json, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'Saved to {png} and {out_json}')


def _excluded(out: dict) -> str:
    counts = [f'{len(paths)} {reason}' for reason, paths in out['excluded'].items() if paths]
    return f'; excluded: {", ".join(counts)}' if counts else ''


def _fmt(value) -> str:
    return 'n/a (no image with a mask)' if value is None else f'{value:.4f}'


if __name__ == '__main__':
    main()
