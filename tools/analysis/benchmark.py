"""Speed and memory of a config's model on synthetic inputs of the config's shapes.

    python tools/analysis/benchmark.py CONFIG [--num-classes 100] [--batch-size B]
        [--iters 10] [--warmup 3] [--device cuda|cpu] [--amp [bf16|fp16]] [--cfg-options ...]

Works for every config: any classifier of the backbone contract, and FVG-PT (stage 2) around one.
Prints one JSON object: median seconds of a training step (forward, backward, optimizer step)
and of a test forward after warm-up, and peak memory (GPU: torch.cuda.max_memory_allocated;
CPU: the process's peak resident set size, and its growth during the training steps). For
FVG-PT it also times the frozen backbone's no-grad image passes over x and the foreground view
x_fg (one batch; for image-conditioned class prompts, CoCoOp, with the text passes of their
per-image prompts) and prints the ratio of the stage-2 step to them; for a backbone whose image
tower carries prompts also the ratio to all passes no stage 2 can avoid (those plus the
foundation CLIP's prompt-free pass over x, which z_clip needs, sharing the frozen blocks before
the first prompted one: ``image_and_foundation_feats``). CLIP
weights are randomly initialized unless ``--keep-weights``: speed does not depend on their values
and nothing is downloaded; an FVG-PT config's stage-1 checkpoint is not loaded.
"""
import argparse
import json
import statistics
from typing import List

import torch
from benchmark_timing import peak_memory_mb, rss_mb, timed
from mmengine.config import Config, DictAction
from mmengine.optim import build_optim_wrapper
from mmpretrain.structures import DataSample

from fvgpt.models.clip import OpenCLIP
from fvgpt.registry import MODELS
from fvgpt.setup_env import register_all_modules

#: ``--amp`` values and their autocast dtypes.
AMP_DTYPES = dict(bf16=torch.bfloat16, fp16=torch.float16)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Benchmark a config on synthetic inputs')
    parser.add_argument('config')
    parser.add_argument(
        '--num-classes',
        type=int,
        default=100,
        help='classes in the synthetic class list (ImageNet base: 500)')
    parser.add_argument(
        '--batch-size', type=int, default=None, help="defaults to the config's train batch size")
    parser.add_argument(
        '--test-batch-size',
        type=int,
        default=None,
        help="defaults to the config's test batch size")
    parser.add_argument(
        '--image-size', type=int, default=None, help="defaults to the CLIP model's input size")
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--amp',
        nargs='?',
        const='auto',
        choices=['auto', *sorted(AMP_DTYPES)],
        default=None,
        help="autocast in this dtype; alone, the device's default (fp16 on a GPU, bf16 on "
        'the CPU); no loss scaling')
    parser.add_argument(
        '--keep-weights', action='store_true', help="load the config's pretrained CLIP weights")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args = parser.parse_args()
    if args.amp == 'auto':
        args.amp = 'fp16' if args.device.startswith('cuda') else 'bf16'
    return args


def autocast(args: argparse.Namespace):
    """Autocast on the device's type in ``--amp``'s dtype, or a disabled one."""
    device_type = args.device.split(':')[0]
    if args.amp is None:
        return torch.autocast(device_type, enabled=False)
    return torch.autocast(device_type, dtype=AMP_DTYPES[args.amp])


def random_clip_weights(model_cfg: dict) -> None:
    """Sets ``pretrained=None`` in every OpenCLIP config inside ``model_cfg``, and drops an
    FVG-PT config's stage-1 checkpoint (no weights to download or to find)."""
    if model_cfg.get('type') == 'FVGPT':
        model_cfg['backbone_ckpt'] = None
    for value in model_cfg.values():
        if isinstance(value, dict):
            if value.get('type') in ('OpenCLIP', 'fvgpt.OpenCLIP'):
                value['pretrained'] = None
            else:
                random_clip_weights(value)


def find_clip(model: torch.nn.Module) -> OpenCLIP:
    for module in model.modules():
        if isinstance(module, OpenCLIP):
            return module
    raise ValueError(f'{type(model).__name__} holds no OpenCLIP wrapper.')


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if not args.keep_weights:
        random_clip_weights(cfg.model)
    model = MODELS.build(cfg.model).to(args.device)
    is_fvgpt = hasattr(model, 'backbone') and hasattr(model, 'base_head')
    classnames = [f'class number {i}' for i in range(args.num_classes)]
    model.set_class_list(classnames, ['a photo of a {}.'], 'base')
    size = args.image_size or find_clip(model).image_size
    train_bs = args.batch_size or cfg.train_dataloader.batch_size
    test_bs = args.test_batch_size or cfg.get('test_dataloader', cfg.train_dataloader).batch_size

    def batch(bs: int, train: bool) -> dict:
        imgs = [torch.randint(0, 256, (3, size, size), dtype=torch.uint8) for _ in range(bs)]
        samples = [DataSample().set_gt_label(i % args.num_classes) for i in range(bs)]
        if train and is_fvgpt:  # the foreground view and mask of each image (stage 2)
            for img, sample in zip(imgs, samples):
                mask = torch.zeros(size, size, dtype=torch.uint8)
                mask[size // 4:3 * size // 4, size // 4:3 * size // 4] = 1
                fg = img.permute(1, 2, 0).numpy().copy()
                fg[mask.numpy() == 0] = 0
                sample.set_field(fg, 'img_fg')
                sample.set_field(mask.numpy(), 'gt_fg_mask')
                sample.set_field(True, 'fg_mask_valid')
        return dict(inputs=imgs, data_samples=samples)

    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    # One batch per step: FVG-PT's data preprocessor takes the foreground views out of the samples.
    train_batches = [batch(train_bs, True) for _ in range(args.warmup + args.iters)]

    def train_step() -> None:
        with autocast(args):
            model.train_step(train_batches.pop(), optim_wrapper)

    model.train()
    rss_before_train = rss_mb()
    train_cpu: List[float] = []
    train_times = timed(train_step, args.iters, args.warmup, args.device, train_cpu)
    train_peak = peak_memory_mb(args.device)
    rss_growth = rss_mb() - rss_before_train
    extra = {}
    if is_fvgpt:
        data = model.data_preprocessor(batch(train_bs, True), True)
        both = torch.cat([data['inputs'], data['fg_inputs']])

        prompted = model.backbone.image_encoder == 'prompted'
        conditioned = model.backbone.text_conditioning == 'image'

        def backbone_passes() -> None:
            with torch.no_grad(), autocast(args):
                feats = model.backbone.image_feats(both)
                if conditioned:  # CoCoOp: the class prompts of x and x_fg come from their images
                    model.backbone.text_feats(image_feats=feats)

        def required_passes() -> None:
            # and, for a backbone whose image tower carries prompts, the foundation CLIP's
            # prompt-free pass over x that z_clip needs (METHOD.md), sharing the blocks before
            # the first prompted one where there are such (MMRL): what no stage 2 can avoid
            with torch.no_grad(), autocast(args):
                model.backbone.image_and_foundation_feats(both, data['inputs'].shape[0])

        passes_cpu: List[float] = []
        passes = statistics.median(
            timed(backbone_passes, args.iters, args.warmup, args.device, passes_cpu))
        extra = dict(
            backbone=type(model.backbone).__name__,
            backbone_image_encoder=model.backbone.image_encoder,
            backbone_text_conditioning=model.backbone.text_conditioning,
            backbone_image_passes_s_median=passes,
            stage2_step_over_image_passes=statistics.median(train_times) / passes)
        required_cpu: List[float] = []
        if prompted:
            required = statistics.median(
                timed(required_passes, args.iters, args.warmup, args.device, required_cpu))
            extra.update(
                required_image_passes_s_median=required,
                stage2_step_over_required_passes=statistics.median(train_times) / required)
        if not args.device.startswith('cuda'):
            extra.update(
                backbone_image_passes_cpu_s_median=statistics.median(passes_cpu),
                stage2_step_over_image_passes_cpu=statistics.median(train_cpu) /
                statistics.median(passes_cpu))
            if prompted:
                extra.update(
                    stage2_step_over_required_passes_cpu=statistics.median(train_cpu) /
                    statistics.median(required_cpu))

    test_batch = batch(test_bs, False)
    model.eval()

    def test_step() -> None:  # under no_grad, as mmengine's test loop runs it
        with torch.no_grad(), autocast(args):
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
        test_images_per_s=round(test_bs / statistics.median(test_times), 1),
        train_peak_mem_mb=round(train_peak, 1),
        test_peak_mem_mb=round(peak_memory_mb(args.device), 1),
        trainable_params=sum(p.numel() for p in model.parameters() if p.requires_grad),
        **extra,
    )
    if not args.device.startswith('cuda'):  # process-wide peaks: say what training added
        result['train_rss_growth_mb'] = round(rss_growth, 1)
        result['train_step_cpu_s_median'] = statistics.median(train_cpu)
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
