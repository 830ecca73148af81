"""Speed and memory of the FVG-PT authors' own training step, for comparison with benchmark.py.

    git clone https://github.com/JREion/FVG-PT /path/FVG-PT     # their code, not part of fvgpt
    python tools/analysis/benchmark_authors.py --authors-repo /path/FVG-PT \\
        --method coop|ivlp|kgcoop|promptsrc|mmrl [--num-classes 500] [--batch-size B] \\
        [--iters 3] [--warmup 1] [--device cpu|cuda] [--teacher-templates N]

Builds the authors' ``CustomCLIP`` of ``trainers/{coop,independentVL,kgcoop,promptsrc,mmrl}.py``
with their ``clip`` / ``clip_mmrl`` package, on the state dict of a randomly initialized open_clip
ViT-B/16 (the architecture and parameter names of OpenAI's release, so nothing is downloaded), in
fp32, with the parameters their ``build_model`` trains and their recipe's optimizer and batch
(ImageNet's where it differs: 500 classes is the ImageNet base split), and times what their
``forward_backward`` does per step: forward (with PromptSRC's and MMRL's frozen-CLIP passes),
loss, backward, optimizer step. See ``authors_code.py`` for how their code is loaded. Prints one
JSON object with the field names of benchmark.py.
"""
import argparse
import json
import statistics
from typing import List

import open_clip
import torch
from authors_code import RECIPES, authors_fp32_semantics, build_training_step, load_authors_trainers
from benchmark_timing import peak_memory_mb, rss_mb, timed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the FVG-PT authors' training step")
    parser.add_argument('--authors-repo', required=True, help='a checkout of JREion/FVG-PT')
    parser.add_argument('--method', choices=sorted(RECIPES), required=True)
    parser.add_argument('--num-classes', type=int, default=500)
    parser.add_argument(
        '--batch-size', type=int, default=None, help="defaults to the authors' recipe")
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument(
        '--teacher-templates',
        type=int,
        default=0,
        help='PromptSRC: build the frozen teacher text features (once, before the steps) from '
        'the first N of the 60 templates; 0 = all (most of an hour on a CPU at 500 classes)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    recipe = RECIPES[args.method]
    module = load_authors_trainers(args.authors_repo, [recipe['module']])[recipe['module']]
    authors_fp32_semantics()
    torch.manual_seed(0)
    state_dict = open_clip.create_model('ViT-B-16', pretrained=None).state_dict()
    batch = args.batch_size or recipe['batch']
    classnames = [f'class number {i}' for i in range(args.num_classes)]
    step, model = build_training_step(module, args.method, state_dict, classnames, batch,
                                      args.device, args.teacher_templates)
    del state_dict
    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    rss_before = rss_mb()
    cpu_times: List[float] = []
    times = timed(step, args.iters, args.warmup, args.device, cpu_times)
    result = dict(
        implementation=f'JREion/FVG-PT trainers/{recipe["module"]}.py',
        method=args.method,
        device=torch.cuda.get_device_name() if args.device.startswith('cuda') else 'cpu',
        torch_threads=torch.get_num_threads(),
        num_classes=args.num_classes,
        train_batch_size=batch,
        train_step_s_median=statistics.median(times),
        train_peak_mem_mb=round(peak_memory_mb(args.device), 1),
        trainable_params=sum(p.numel() for p in model.parameters() if p.requires_grad),
    )
    if args.method == 'promptsrc':
        result['teacher_templates'] = args.teacher_templates or 60
    if not args.device.startswith('cuda'):
        result['train_rss_growth_mb'] = round(rss_mb() - rss_before, 1)
        result['train_step_cpu_s_median'] = statistics.median(cpu_times)
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
