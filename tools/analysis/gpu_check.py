"""The timings a user needs to plan runs on a GPU, in one JSON: per backbone a training step at
500 classes (CoOp, KgCoOp, IVLP, PromptSRC, MMRL, ImageNet's ViT-B/16 configs), FVG-PT's stage-2
step (on CoOp and on IVLP), test throughput (images/s) and peak memory, in mixed precision and
fp32, all on random CLIP weights (nothing is downloaded). ``tools/analysis/gpu_check.sh`` runs it.

    bash tools/analysis/gpu_check.sh [--out work_dirs/gpu_check.json] [--device cuda]
        [--amp bf16|fp16] [--precisions amp fp32] [--budget-s 420] [--smoke]

Each measurement is ``tools/analysis/benchmark.py`` in its own process (so peak memory is its
own), with a per-run timeout (``--run-timeout-s``, 180); no run starts that would end after
``--budget-s`` (420) seconds if it took as long as the longest so far (the rest are listed as
skipped), so the whole check stays under 8 minutes on one GPU. ``--smoke`` runs the
same matrix on the toy world's configs (ToyCLIP, 64 px) with 4 classes, one step, fp32, on the
CPU: it checks that the script works on a bare machine (a test runs it).
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: name -> config of each measurement; {world} is 'imagenet' (GPU) or 'toyworld' (smoke).
CONFIGS = {
    'coop': 'configs/coop/coop_b2n_{world}.py',
    'kgcoop': 'configs/kgcoop/kgcoop_b2n_{world}.py',
    'ivlp': 'configs/ivlp/ivlp_b2n_{world}.py',
    'promptsrc': 'configs/promptsrc/promptsrc_b2n_{world}.py',
    'mmrl': 'configs/mmrl/mmrl_b2n_{world}.py',
    'fvgpt_coop': 'configs/fvgpt/coop_b2n_{world}.py',
    'fvgpt_ivlp': 'configs/fvgpt/ivlp_b2n_{world}.py',
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', default='work_dirs/gpu_check.json')
    parser.add_argument('--device', default=None, help='default: cuda (cpu with --smoke)')
    parser.add_argument('--amp', default='bf16', choices=['bf16', 'fp16'])
    parser.add_argument(
        '--precisions',
        nargs='+',
        default=None,
        choices=['amp', 'fp32'],
        help='default: amp fp32 (fp32 with --smoke)')
    parser.add_argument('--num-classes', type=int, default=None, help='default: 500 (4 smoke)')
    parser.add_argument('--only', nargs='+', choices=sorted(CONFIGS), help='a subset')
    parser.add_argument(
        '--budget-s',
        type=float,
        default=420,
        help='start no run that, taking as long as the longest so far, would end later')
    parser.add_argument('--run-timeout-s', type=float, default=180)
    parser.add_argument('--smoke', action='store_true', help='tiny, on the CPU (see above)')
    return parser.parse_args(argv)


def benchmark_command(config: str, args: argparse.Namespace, precision: str) -> list:
    cmd = [
        sys.executable, 'tools/analysis/benchmark.py', config, '--device', args.device,
        '--num-classes',
        str(args.num_classes)
    ]
    if args.smoke:
        cmd += ['--iters', '1', '--warmup', '0', '--batch-size', '2', '--test-batch-size', '2']
    else:
        cmd += ['--iters', '10', '--warmup', '3']
    if precision == 'amp':
        cmd += ['--amp', args.amp]
    return cmd


def last_json(text: str) -> dict:
    """The JSON object benchmark.py prints last (logs may come before it)."""
    start = text.rfind('\n{')
    return json.loads(text[start + 1:] if start >= 0 else text)


def main(argv=None) -> dict:
    args = parse_args(argv)
    args.device = args.device or ('cpu' if args.smoke else 'cuda')
    args.precisions = args.precisions or (['fp32'] if args.smoke else ['amp', 'fp32'])
    args.num_classes = args.num_classes or (4 if args.smoke else 500)
    world = 'toyworld' if args.smoke else 'imagenet'
    names = args.only or list(CONFIGS)
    env = dict(os.environ)
    if args.device == 'cpu':
        env['CUDA_VISIBLE_DEVICES'] = ''
    start = time.perf_counter()
    report = dict(
        device=args.device,
        num_classes=args.num_classes,
        amp=args.amp,
        smoke=args.smoke,
        runs=[],
        skipped=[])
    for precision in args.precisions:
        for name in names:
            run = dict(
                name=name,
                config=CONFIGS[name].format(world=world),
                precision=precision if precision == 'fp32' else f'amp {args.amp}')
            longest = max([r['seconds'] for r in report['runs']] or [0])
            if time.perf_counter() - start + longest > args.budget_s:
                report['skipped'].append(run)
                continue
            cmd = benchmark_command(run['config'], args, precision)
            began = time.perf_counter()
            try:
                done = subprocess.run(
                    cmd,
                    cwd=REPO,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=args.run_timeout_s)
                if done.returncode:
                    run['error'] = done.stderr.strip().splitlines()[-1:] or [
                        f'exit {done.returncode}'
                    ]
                else:
                    run['result'] = last_json(done.stdout)
            except subprocess.TimeoutExpired:
                run['error'] = [f'timed out after {args.run_timeout_s} s']
            run['seconds'] = round(time.perf_counter() - began, 1)
            report['runs'].append(run)
            state = 'ok' if 'result' in run else 'FAILED: ' + ' '.join(run['error'])
            print(
                f'[{time.perf_counter() - start:6.0f} s] {name:<11} {run["precision"]:<9} '
                f'{state}',
                flush=True)
    report['total_s'] = round(time.perf_counter() - start, 1)
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(report, f, indent=2)
    print(summary(report))
    print(f'Written to {args.out}')
    return report


def summary(report: dict) -> str:
    """One line per run: step, test throughput and peak memory."""
    lines = [
        f'{"run":<11} {"precision":<9} {"train step s":>12} {"test img/s":>10} '
        f'{"train peak MB":>13} {"test peak MB":>12}'
    ]
    for run in report['runs']:
        r = run.get('result')
        if r is None:
            lines.append(f'{run["name"]:<11} {run["precision"]:<9} failed: {run["error"]}')
            continue
        lines.append(f'{run["name"]:<11} {run["precision"]:<9} {r["train_step_s_median"]:>12.4f} '
                     f'{r["test_images_per_s"]:>10.1f} {r["train_peak_mem_mb"]:>13.1f} '
                     f'{r["test_peak_mem_mb"]:>12.1f}')
    if report['skipped']:
        lines.append('skipped (time budget): ' + ', '.join(f'{s["name"]} {s["precision"]}'
                                                           for s in report['skipped']))
    lines.append(f'total {report["total_s"]} s')
    return '\n'.join(lines)


if __name__ == '__main__':
    report = main()
    sys.exit(1 if any('error' in r for r in report['runs']) else 0)
