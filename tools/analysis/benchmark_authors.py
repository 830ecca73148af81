"""Speed and memory of the FVG-PT authors' own training step, for comparison with benchmark.py.

    git clone https://github.com/JREion/FVG-PT /path/FVG-PT     # their code, not part of fvgpt
    python tools/analysis/benchmark_authors.py --authors-repo /path/FVG-PT --method coop \\
        [--num-classes 500] [--batch-size 4] [--iters 3] [--warmup 1] [--device cpu|cuda]

Builds the authors' ``CustomCLIP`` of ``trainers/coop.py`` or ``trainers/independentVL.py`` from
their ``clip`` package, on the state dict of a randomly initialized open_clip ViT-B/16 (the same
architecture and parameter names as OpenAI's release, so nothing is downloaded), in fp32, and
times what their ``forward_backward`` does per step: forward, cross-entropy, backward, SGD step
on the prompts. Dassl is not needed: its names their trainer modules import are given placeholders
(the timed code does not use them). Prints one JSON object with the field names of benchmark.py.
"""
import argparse
import importlib.util
import json
import os.path as osp
import resource
import statistics
import sys
import time
import types
from typing import Callable, List, Optional

import open_clip
import torch
import torch.nn.functional as F

# What the authors' recipes set for these methods (their configs/trainers/*.yaml; the IVLP yaml is
# muzairkhattak/PromptSRC's), precision fp32 as fvgpt runs them.
RECIPES = {
    'coop':
    dict(
        file='trainers/coop.py',
        batch=4,
        lr=0.0035,
        cfg=dict(
            COOP=dict(N_CTX=4, CTX_INIT='', CSC=False, CLASS_TOKEN_POSITION='end', PREC='fp32'))),
    'ivlp':
    dict(
        file='trainers/independentVL.py',
        batch=4,
        lr=0.0025,
        cfg=dict(
            IVLP=dict(
                N_CTX_TEXT=4,
                N_CTX_VISION=4,
                CTX_INIT='a photo of a',
                PROMPT_DEPTH_TEXT=9,
                PROMPT_DEPTH_VISION=9,
                PREC='fp32'))),
}


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
    return parser.parse_args()


def namespace(tree: dict) -> types.SimpleNamespace:
    """A yacs-like attribute tree of plain values."""
    return types.SimpleNamespace(**{
        k: namespace(v) if isinstance(v, dict) else v
        for k, v in tree.items()
    })


def provide_dassl_names() -> None:
    """Placeholders for the Dassl names the trainer modules import at module level."""
    registry = types.SimpleNamespace(register=lambda *a, **k: (lambda cls: cls))
    names = {
        'dassl': {},
        'dassl.engine': dict(TRAINER_REGISTRY=registry, TrainerX=object),
        'dassl.metrics': dict(compute_accuracy=None),
        'dassl.utils': dict(load_pretrained_weights=None, load_checkpoint=None),
        'dassl.optim': dict(build_optimizer=None, build_lr_scheduler=None),
    }
    for name, attrs in names.items():
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        sys.modules.setdefault(name, module)


def load_trainer_module(repo: str, relpath: str) -> types.ModuleType:
    if repo not in sys.path:
        sys.path.insert(0, repo)  # their `clip` package
    spec = importlib.util.spec_from_file_location('authors_trainer', osp.join(repo, relpath))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(fn: Callable[[], None],
          iters: int,
          warmup: int,
          device: str,
          cpu_times: Optional[List[float]] = None) -> List[float]:
    """Wall seconds of each of ``iters`` calls of ``fn`` after ``warmup`` calls; their process
    CPU seconds go into ``cpu_times`` (on a shared CPU the wall time also counts waiting)."""
    times = []
    for i in range(warmup + iters):
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        if i >= warmup:
            times.append(time.perf_counter() - start)
            if cpu_times is not None:
                cpu_times.append(time.process_time() - cpu_start)
    return times


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = parse_args()
    recipe = RECIPES[args.method]
    provide_dassl_names()
    trainer = load_trainer_module(osp.abspath(args.authors_repo), recipe['file'])
    torch.manual_seed(0)
    state_dict = open_clip.create_model('ViT-B-16', pretrained=None).state_dict()
    cfg = namespace(
        dict(
            MODEL=dict(BACKBONE=dict(NAME='ViT-B/16')),
            INPUT=dict(SIZE=(224, 224)),
            TRAINER=recipe['cfg']))
    design = dict(trainer='CoOp', vision_depth=0, language_depth=0, vision_ctx=0, language_ctx=0)
    if args.method == 'ivlp':
        ivlp = recipe['cfg']['IVLP']
        design = dict(
            trainer='IVLP',
            vision_depth=ivlp['PROMPT_DEPTH_VISION'],
            language_depth=ivlp['PROMPT_DEPTH_TEXT'],
            vision_ctx=ivlp['N_CTX_VISION'],
            language_ctx=ivlp['N_CTX_TEXT'])
    clip_model = trainer.clip.build_model(state_dict, design).float()  # PREC fp32
    classnames = [f'class number {i}' for i in range(args.num_classes)]
    model = trainer.CustomCLIP(cfg, classnames, clip_model)
    # as their build_model: only the prompts train ("prompt_learner", and IVLP's "VPT" tokens)
    for name, param in model.named_parameters():
        param.requires_grad_('prompt_learner' in name or (args.method == 'ivlp' and 'VPT' in name))
    model.to(args.device).train()
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.SGD(params, lr=recipe['lr'], momentum=0.9, weight_decay=5e-4)
    batch = args.batch_size or recipe['batch']
    images = torch.randn(batch, 3, 224, 224, device=args.device)
    labels = torch.arange(batch, device=args.device) % args.num_classes

    def step() -> None:
        out = model(images, labels) if args.method == 'ivlp' else model(images)
        loss = out if args.method == 'ivlp' else F.cross_entropy(out, labels)
        optim.zero_grad()
        loss.backward()
        optim.step()

    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    rss_before = rss_mb()
    cpu_times: List[float] = []
    times = timed(step, args.iters, args.warmup, args.device, cpu_times)
    result = dict(
        implementation=f'JREion/FVG-PT {recipe["file"]}',
        method=args.method,
        device=torch.cuda.get_device_name() if args.device.startswith('cuda') else 'cpu',
        torch_threads=torch.get_num_threads(),
        num_classes=args.num_classes,
        train_batch_size=batch,
        train_step_s_median=statistics.median(times),
        train_peak_mem_mb=round(
            torch.cuda.max_memory_allocated() /
            2**20 if args.device.startswith('cuda') else rss_mb(), 1),
        trainable_params=sum(p.numel() for p in params),
    )
    if not args.device.startswith('cuda'):
        result['train_rss_growth_mb'] = round(rss_mb() - rss_before, 1)
        result['train_step_cpu_s_median'] = statistics.median(cpu_times)
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
