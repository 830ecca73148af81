"""Trains the toy world's segmenter with mmseg's own loop and ships its weights.

    python tools/toyworld/train_segmenter.py       # writes checkpoints/toyseg_segformer_tiny.pth
    python tools/toyworld/train_segmenter.py --max-iters 300 --out work_dirs/toyseg_try.pth

1. **Data**: a toy world with the benchmark world's classes and image size in the looks ToyCLIP
   was pretrained on (``fvgpt.toyworld.PRETRAIN_WORLD``: no distractors, colour cast or extra
   noise; like a segmenter trained on other data than the benchmark's), drawn from another world
   seed (``--seed``, default 1000), so that none of its images is one of the benchmark's, with
   exact masks and no class-specific backgrounds; written to the config's ``seg_data_root``
   (``data/toyworld_seg/toyworld``; its train split is trained on, its val split validates).
2. **Training**: ``configs/segmenters/segformer-tiny_toyworld.py`` (a 0.46 M-parameter 2-class
   SegFormer) with mmengine's ``Runner`` in mmseg's scope, on the CPU; then mmseg's test loop
   (``IoUMetric``) on the benchmark world's test split.
3. **Shipping**: the last checkpoint (written by ``fvgpt.WeightsOnlyCheckpointHook``, so it loads
   with ``torch.load(weights_only=True)``) re-saved as fp16 weights and class names.
4. **Report** (printed as JSON, and written next to the checkpoint as ``.json``): the shipped file
   loaded through ``fvgpt.segmentation.Segmenter`` (as ``tools/prepare_foreground.py`` and the
   FVG-PT demo load it), scored on the benchmark world's test split: foreground IoU, mIoU, ...

The benchmark world is read from the config's ``bench_data_root`` (``data/toyworld``) and generated
there with the default config (as ``tools/toyworld/generate.py`` does) when missing.
"""
import argparse
import dataclasses
import hashlib
import json
import os
import os.path as osp
import time
from typing import Dict, List, Tuple

import mmcv
import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from fvgpt.segmentation import Segmenter, read_binary_mask
from fvgpt.segmentation.toyworld_seg_dataset import foreground_scores
from fvgpt.toyworld import META_FILE, PRETRAIN_WORLD, TOYWORLD_INFO, ToyWorldConfig, write_toyworld
from fvgpt.utils.checkpoint import load_checkpoint_file

DEFAULT_CONFIG = 'configs/segmenters/segformer-tiny_toyworld.py'
DEFAULT_OUT = 'checkpoints/toyseg_segformer_tiny.pth'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--config', default=DEFAULT_CONFIG, help=f'default: {DEFAULT_CONFIG}')
    parser.add_argument(
        '--out', default=DEFAULT_OUT, help=f'shipped weights (default: '
        f'{DEFAULT_OUT})')
    parser.add_argument(
        '--work-dir', default='work_dirs/toyseg_segformer_tiny', help='logs and full checkpoints')
    parser.add_argument(
        '--seg-root', help='folder of the training world (default: the config\'s '
        'seg_data_root)')
    parser.add_argument(
        '--bench-root',
        help='folder of the benchmark world (default: the '
        'config\'s bench_data_root)')
    parser.add_argument(
        '--seed',
        type=int,
        default=1000,
        help='world seed of the training images (not the benchmark\'s)')
    parser.add_argument(
        '--num-train', type=int, default=40, help='training images per class (default: 40)')
    parser.add_argument(
        '--num-val', type=int, default=4, help='validation images per class (default: 4)')
    parser.add_argument(
        '--max-iters', type=int, default=None, help='training iterations (default: the config\'s)')
    parser.add_argument(
        '--threads',
        type=int,
        default=1,
        help='torch CPU threads (default: 1; on a shared 2-core machine two '
        'threads contend with other jobs and run many times slower)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='override config settings, key=value')
    return parser.parse_args()


def benchmark_world(root: str) -> ToyWorldConfig:
    """The config of the benchmark world in ``root``, generating the default world when missing."""
    meta_path = osp.join(root, META_FILE)
    if not (osp.isfile(meta_path) and osp.isfile(osp.join(root, TOYWORLD_INFO['split_file']))):
        print(f'[toyseg] no benchmark world in {root}: generating the default one')
        write_toyworld(
            osp.dirname(osp.abspath(root)),
            ToyWorldConfig(),
            dataset_dir=osp.basename(osp.abspath(root)),
            progress=False)
    with open(meta_path) as f:
        return ToyWorldConfig.from_dict(json.load(f)['config'])


def training_world(bench: ToyWorldConfig, seed: int, num_train: int,
                   num_val: int) -> ToyWorldConfig:
    """The training world: the benchmark's classes, the pretraining looks, another seed."""
    if seed == bench.seed:
        raise ValueError(f'--seed {seed} is the benchmark world\'s seed: the segmenter would '
                         'train on benchmark images. Choose another seed.')
    return dataclasses.replace(
        bench, seed=seed, num_train=num_train, num_val=num_val, num_test=0, **PRETRAIN_WORLD)


def build_config(args: argparse.Namespace) -> Config:
    """The training config with the data roots, work dir and schedule of this run."""
    cfg = Config.fromfile(args.config)
    cfg.work_dir = args.work_dir
    seg_root = args.seg_root or cfg.seg_data_root
    bench_root = args.bench_root or cfg.bench_data_root
    cfg.train_dataloader.dataset.data_root = seg_root
    cfg.val_dataloader.dataset.data_root = seg_root
    cfg.test_dataloader.dataset.data_root = bench_root
    if args.max_iters is not None:
        scale = args.max_iters / cfg.train_cfg.max_iters
        cfg.train_cfg.max_iters = args.max_iters
        cfg.train_cfg.val_interval = min(cfg.train_cfg.val_interval, args.max_iters)
        for scheduler in cfg.param_scheduler:  # stretch the schedule to the new length
            scheduler.begin = int(round(scheduler.begin * scale))
            scheduler.end = max(scheduler.begin + 1, int(round(scheduler.end * scale)))
        cfg.default_hooks.checkpoint.interval = cfg.train_cfg.val_interval
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    return cfg


def ship_checkpoint(src: str, dst: str) -> Dict[str, object]:
    """Re-saves a Runner checkpoint as fp16 weights and class names; returns its facts."""
    ckpt = load_checkpoint_file(src)  # torch.load(weights_only=True)
    state = {k: v.half() if v.is_floating_point() else v for k, v in ckpt['state_dict'].items()}
    classes = tuple(ckpt['meta']['dataset_meta']['classes'])
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    torch.save({'state_dict': state, 'meta': {'dataset_meta': {'classes': classes}}}, dst)
    with open(dst, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return dict(
        checkpoint=osp.basename(dst),
        bytes=osp.getsize(dst),
        sha256=digest,
        dtype='float16',
        classes=list(classes),
        source=osp.basename(src))


def split_images(world_root: str, split: str) -> Tuple[List[np.ndarray], List[np.ndarray]]:
    """BGR images and {0, 1} masks of a written world's split, in split-file order."""
    with open(osp.join(world_root, TOYWORLD_INFO['split_file'])) as f:
        items = json.load(f)[split]
    images, masks = [], []
    for rel, _, _ in items:
        images.append(mmcv.imread(osp.join(world_root, TOYWORLD_INFO['image_dir'], rel)))
        masks.append(read_binary_mask(osp.join(world_root, TOYWORLD_INFO['mask_dir'], rel)))
    return images, masks


def score_checkpoint(config: str,
                     checkpoint: str,
                     world_root: str,
                     split: str = 'test') -> Dict[str, float]:
    """Scores of a segmenter file on a world's split, through fvgpt's Segmenter ('binary')."""
    segmenter = Segmenter(config, checkpoint, foreground='binary', device='cpu')
    images, references = split_images(world_root, split)
    masks: List[np.ndarray] = []
    start = time.time()
    for i in range(0, len(images), 64):
        masks += segmenter.segment(images[i:i + 64])
    scores = {
        k: round(v, 4) if isinstance(v, float) else v
        for k, v in foreground_scores(masks, references).items()
    }
    scores['images_per_second'] = round(len(images) / (time.time() - start), 1)
    return scores


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    cfg = build_config(args)
    seg_root = cfg.train_dataloader.dataset.data_root
    bench_root = cfg.test_dataloader.dataset.data_root
    start = time.time()
    bench_cfg = benchmark_world(bench_root)
    seg_cfg = training_world(bench_cfg, args.seed, args.num_train, args.num_val)
    write_toyworld(
        osp.dirname(osp.abspath(seg_root)),
        seg_cfg,
        dataset_dir=osp.basename(osp.abspath(seg_root)),
        overwrite=True,
        progress=False)
    data_seconds = time.time() - start
    print(f'[toyseg] training world (seed {seg_cfg.seed}, exact masks): {seg_root}; '
          f'benchmark world (seed {bench_cfg.seed}): {bench_root}')

    runner = Runner.from_cfg(cfg)
    start = time.time()
    runner.train()
    train_seconds = time.time() - start
    mmseg_test = runner.test()  # mmseg's IoUMetric on the benchmark test split (percent)

    with open(osp.join(cfg.work_dir, 'last_checkpoint')) as f:
        last = f.read().strip()
    shipped = ship_checkpoint(last, args.out)
    scores = score_checkpoint(args.config, args.out, bench_root, 'test')
    report = dict(
        **shipped,
        config=args.config,
        params=sum(p.numel() for p in runner.model.parameters()),
        recipe=dict(
            max_iters=cfg.train_cfg.max_iters,
            batch_size=cfg.train_dataloader.batch_size,
            crop_size=list(cfg.crop_size),
            lr=cfg.optim_wrapper.optimizer.lr,
            torch_threads=args.threads,
            training_world=seg_cfg.to_dict()),
        data_seconds=round(data_seconds, 1),
        train_seconds=round(train_seconds, 1),
        benchmark_test=dict(world=bench_cfg.to_dict(), split='test', **scores),
        mmseg_test={
            k: round(float(v), 2)
            for k, v in mmseg_test.items()
        },
    )
    with open(osp.splitext(args.out)[0] + '.json', 'w') as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))
    print(f'[toyseg] {args.out}: {shipped["bytes"] / 2**20:.2f} MiB; trained in '
          f'{train_seconds:.0f}s; benchmark test foreground IoU {scores["fg_iou"]:.3f}, '
          f'mIoU {scores["miou"]:.3f}')


if __name__ == '__main__':
    main()
