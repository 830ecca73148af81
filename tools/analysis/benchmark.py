"""Speed and memory of a config's model on synthetic inputs of the config's shapes.

    python tools/analysis/benchmark.py CONFIG [--num-classes 100] [--batch-size B]
        [--iters 10] [--warmup 3] [--device cuda|cpu] [--amp] [--cfg-options ...]

Prints one JSON object: median seconds of a training step (forward, backward, optimizer step)
and of a test forward after warm-up, and peak memory (GPU: torch.cuda.max_memory_allocated;
CPU: the process's peak resident set size). CLIP weights are randomly initialized unless
``--keep-weights``: speed does not depend on their values and nothing is downloaded.
"""
import argparse
import json
import resource
import statistics
import time
from typing import Callable, List

import torch
from mmengine.config import Config, DictAction
from mmengine.optim import build_optim_wrapper
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.utils import register_all_modules


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Benchmark a config on synthetic inputs')
    parser.add_argument('config')
    parser.add_argument('--num-classes', type=int, default=100,
                        help='classes in the synthetic class list (ImageNet base: 500)')
    parser.add_argument('--batch-size', type=int, default=None,
                        help="defaults to the config's train batch size")
    parser.add_argument('--test-batch-size', type=int, default=None,
                        help="defaults to the config's test batch size")
    parser.add_argument('--image-size', type=int, default=None,
                        help="defaults to the CLIP model's input size")
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', action='store_true', help='autocast (fp16 on GPU)')
    parser.add_argument('--keep-weights', action='store_true',
                        help="load the config's pretrained CLIP weights")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def timed(fn: Callable[[], None], iters: int, warmup: int, device: str) -> List[float]:
    """Seconds of each of ``iters`` calls of ``fn`` after ``warmup`` calls."""
    times = []
    for i in range(warmup + iters):
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return times


def peak_memory_mb(device: str) -> float:
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if not args.keep_weights:
        cfg.model.clip.pretrained = None
    model = MODELS.build(cfg.model).to(args.device)
    classnames = [f'class number {i}' for i in range(args.num_classes)]
    model.set_class_list(classnames, ['a photo of a {}.'], 'base')
    size = args.image_size or model.clip.image_size
    train_bs = args.batch_size or cfg.train_dataloader.batch_size
    test_bs = args.test_batch_size or cfg.get('test_dataloader', cfg.train_dataloader).batch_size

    def batch(bs: int, train: bool) -> dict:
        imgs = [torch.randint(0, 256, (3, size, size), dtype=torch.uint8) for _ in range(bs)]
        samples = [DataSample().set_gt_label(i % args.num_classes) for i in range(bs)]
        return dict(inputs=imgs, data_samples=samples)

    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    train_batch = batch(train_bs, True)

    def train_step() -> None:
        with torch.autocast(args.device.split(':')[0], enabled=args.amp):
            model.train_step(train_batch, optim_wrapper)

    model.train()
    train_times = timed(train_step, args.iters, args.warmup, args.device)
    train_peak = peak_memory_mb(args.device)

    test_batch = batch(test_bs, False)
    model.eval()

    def test_step() -> None:
        with torch.autocast(args.device.split(':')[0], enabled=args.amp):
            model.test_step(test_batch)

    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    test_times = timed(test_step, args.iters, args.warmup, args.device)
    result = dict(
        config=args.config,
        device=torch.cuda.get_device_name() if args.device.startswith('cuda') else 'cpu',
        torch_threads=torch.get_num_threads(),
        amp=args.amp,
        num_classes=args.num_classes,
        image_size=size,
        train_batch_size=train_bs,
        test_batch_size=test_bs,
        train_step_s_median=statistics.median(train_times),
        test_forward_s_median=statistics.median(test_times),
        train_peak_mem_mb=round(train_peak, 1),
        test_peak_mem_mb=round(peak_memory_mb(args.device), 1),
        trainable_params=sum(p.numel() for p in model.parameters() if p.requires_grad),
    )
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
