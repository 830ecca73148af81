"""Speed and memory of the CoCoOp authors' training step, for comparison with benchmark.py.

    git clone https://github.com/KaiyangZhou/CoOp /path/CoOp     # their code, not part of fvgpt
    python tools/analysis/benchmark_cocoop_reference.py --coop-repo /path/CoOp \\
        [--num-classes 500] [--batch-size 1] [--iters 2] [--warmup 1] [--device cpu|cuda]

Builds the authors' ``CustomCLIP`` of ``trainers/cocoop.py`` (yaml
``vit_b16_c4_ep10_batch1_ctxv1``: 4 context tokens from "a photo of a") from their ``clip``
package, on the state dict of a randomly initialized open_clip ViT-B/16 (OpenAI's architecture
and parameter names, so nothing is downloaded), in fp32, and times what their
``forward_backward`` does per step: the forward (which returns the cross-entropy in training),
backward and an SGD step on the prompt learner (lr 0.002). Their forward encodes all classes'
prompts over all 77 positions once per image of the batch. Dassl is not needed: the names their
trainer module imports from it get placeholders (the timed code does not use them). Prints one
JSON object with the field names of benchmark.py. Kept apart from benchmark_authors.py (the
FVG-PT authors' trainers) because CoCoOp is in another repository.
"""
import argparse
import json
import os.path as osp
import statistics
import sys
import types
from typing import List

import open_clip
import torch
from authors_code import install_dassl_placeholders, load_module_file, namespace
from benchmark_timing import peak_memory_mb, rss_mb, timed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the CoCoOp authors' training step")
    parser.add_argument('--coop-repo', required=True, help='a checkout of KaiyangZhou/CoOp')
    parser.add_argument('--num-classes', type=int, default=500)
    parser.add_argument('--batch-size', type=int, default=1, help='the yaml: 1')
    parser.add_argument('--iters', type=int, default=2)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    return parser.parse_args()


def load_cocoop_module(repo: str) -> types.ModuleType:
    """``trainers/cocoop.py`` with its ``clip`` package, Dassl's names as placeholders."""
    install_dassl_placeholders()
    if repo not in sys.path:
        sys.path.insert(0, repo)  # their `clip` package
    return load_module_file('cocoop_trainer', osp.join(repo, 'trainers', 'cocoop.py'))


def main() -> None:
    args = parse_args()
    trainer = load_cocoop_module(osp.abspath(args.coop_repo))
    torch.manual_seed(0)
    state_dict = open_clip.create_model('ViT-B-16', pretrained=None).state_dict()
    clip_model = trainer.clip.build_model(state_dict).float()  # PREC fp32, as fvgpt runs
    cfg = namespace(
        dict(
            INPUT=dict(SIZE=(224, 224)),
            TRAINER=dict(COCOOP=dict(N_CTX=4, CTX_INIT='a photo of a', PREC='fp32'))))
    classnames = [f'class number {i}' for i in range(args.num_classes)]
    model = trainer.CustomCLIP(cfg, classnames, clip_model)
    for name, param in model.named_parameters():  # as their build_model
        param.requires_grad_('prompt_learner' in name)
    model.to(args.device).train()
    params = [p for p in model.prompt_learner.parameters() if p.requires_grad]
    optim = torch.optim.SGD(params, lr=0.002, momentum=0.9, weight_decay=5e-4)
    images = torch.randn(args.batch_size, 3, 224, 224, device=args.device)
    labels = torch.arange(args.batch_size, device=args.device) % args.num_classes

    def step() -> None:
        loss = model(images, labels)  # the cross-entropy, in training
        optim.zero_grad()
        loss.backward()
        optim.step()

    if args.device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    rss_before = rss_mb()
    cpu_times: List[float] = []
    times = timed(step, args.iters, args.warmup, args.device, cpu_times)
    cuda = args.device.startswith('cuda')
    result = dict(
        implementation='KaiyangZhou/CoOp trainers/cocoop.py',
        method='cocoop',
        device=torch.cuda.get_device_name() if cuda else 'cpu',
        torch_threads=torch.get_num_threads(),
        num_classes=args.num_classes,
        train_batch_size=args.batch_size,
        train_step_s_median=statistics.median(times),
        train_peak_mem_mb=round(peak_memory_mb(args.device), 1),
        trainable_params=sum(p.numel() for p in params),
    )
    if not cuda:
        result['train_rss_growth_mb'] = round(rss_mb() - rss_before, 1)
        result['train_step_cpu_s_median'] = statistics.median(cpu_times)
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
