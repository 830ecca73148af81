"""The toy-world B2N protocol with and without the image feature cache: wall time, CPU time and
image-encoder passes of each, against the distinct (encoder, image, pipeline) triples.

    python tools/analysis/benchmark_protocol.py [--seeds 1 2 3] [--epochs N] [--data-root data]
        [--work-dir work_dirs/benchmark_protocol] [--device cpu|cuda] [--amp bf16|fp16]
        [--order cached-first|plain-first] [--profile N] [--no-skip-loading] [--json FILE]

Runs ``configs/protocols/toyworld_demo.py`` (zero-shot ToyCLIP, CoOp, FVG-PT on CoOp; the
generator's masks) twice from empty work dirs: once with the cache off, once with it on for
training and testing (one cache folder for every method and seed). The world is generated
under ``--data-root`` when it is not there. The distinct triples are counted from the datasets:
the test (base and new) and validation images with the test pipeline, and CoOp's training images
with its center-crop pipeline, one encoder (ToyCLIP); FVG-PT's stage-2 training pipeline (random
resized crop + flip) makes a new input on every pass, so its passes over ``x`` and ``x_fg`` count
as triples of their own (no cache can serve them). Accuracies of both runs are compared.

On a shared CPU the wall time also counts waiting for other jobs: the CPU seconds of this process
(every stage runs in it, ``num_workers=0``) are printed next to it.

Where each run's time goes is timed too: each method's training loops and test loops (every
stage's ``before_train`` to ``after_train``, ``before_test`` to ``after_test``), and the rest
(building Runners, loading and saving checkpoints). FVG-PT's stage-2 training (random resized
crops and flips: every pass a new input) is what no cache can serve; with the time outside the
loops (fixed per Runner, not the cache's business) it gives the floor: the lowest ratio to the
no-cache run that any cache could reach on this protocol (every other second at zero). CoOp's
training as the cached run spends it (its prompt steps run the text encoder forward and back;
each training image is encoded once) is added in a second figure: what an image cache leaves
of stage 1.
"""
import argparse
import contextlib
import cProfile
import json
import os
import os.path as osp
import pstats
import shutil
import sys
import time
from collections import defaultdict

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PROTOCOL = osp.join(REPO, 'configs', 'protocols', 'toyworld_demo.py')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--seeds', nargs='+', type=int, default=[1, 2, 3])
    parser.add_argument(
        '--epochs',
        type=int,
        default=None,
        help="training epochs of CoOp and FVG-PT (default: "
        "the configs' 10)")
    parser.add_argument('--data-root', default='data')
    parser.add_argument('--work-dir', default='work_dirs/benchmark_protocol')
    parser.add_argument('--device', default='cpu', choices=['cpu', 'cuda'])
    parser.add_argument(
        '--amp',
        choices=['bf16', 'fp16'],
        default=None,
        help='run every stage under autocast in this dtype (no loss scaling; the val and test '
        'loops with fp16=True, which keeps it)')
    parser.add_argument(
        '--order',
        choices=['plain-first', 'cached-first'],
        default='plain-first',
        help='which run goes first (the second finds the OS file cache warm)')
    parser.add_argument(
        '--no-skip-loading',
        action='store_true',
        help='the cached run loads every image, even those whose features are cached '
        '(feature_cache.skip_loading=False; to measure what skipping them saves)')
    parser.add_argument('--json', help='also write the figures to this JSON file')
    parser.add_argument(
        '--profile',
        type=int,
        default=0,
        metavar='N',
        help='run the cached protocol under cProfile and print its N functions of largest '
        'cumulative time (where the time the cache cannot save goes)')
    return parser.parse_args()


def stage_options(epochs):
    options = {'log_level': 'WARNING', 'train_dataloader.num_workers': 0}
    if epochs is not None:
        options.update({
            'train_cfg.max_epochs': epochs,
            'train_cfg.val_interval': epochs,
            'param_scheduler.0.T_max': epochs
        })
    return options


def distinct_triples(runner, seeds, epochs_of) -> dict:
    """The cacheable (image, pipeline) triples of one encoder, and the uncacheable passes."""
    from fvgpt.registry import DATASETS

    def paths(method, seed, loader, subsample):
        cfg = runner.stage_cfg(method, 'toyworld', seed, osp.join(runner.protocol.work_dir, 'x'))
        dataset_cfg = cfg[loader].dataset
        dataset_cfg.subsample = subsample
        dataset = DATASETS.build(dataset_cfg)
        return {dataset.get_data_info(i)['img_path'] for i in range(len(dataset))}

    zs, coop, fvgpt = runner.protocol.methods
    test_pipeline = paths(zs, seeds[0], 'test_dataloader', 'base') | paths(
        zs, seeds[0], 'test_dataloader', 'new')
    for seed in seeds:
        test_pipeline |= paths(coop, seed, 'val_dataloader', 'base')
    coop_train = set()
    for seed in seeds:
        coop_train |= paths(coop, seed, 'train_dataloader', 'base')
    uncacheable = sum(2 * epochs_of(fvgpt) * len(paths(fvgpt, s, 'train_dataloader', 'base'))
                      for s in seeds)
    return dict(
        cacheable=len(test_pipeline) + len(coop_train),
        test_pipeline_images=len(test_pipeline),
        coop_train_images=len(coop_train),
        uncacheable_passes=uncacheable)


def timed_protocol_class():
    """A B2NProtocol that adds up, per method, the wall and CPU seconds of its training and test
    loops (``seconds[(method, 'train' | 'test', 'wall' | 'cpu')]``)."""
    from mmengine.hooks import Hook

    from fvgpt.apis import B2NProtocol

    class LoopTimer(Hook):
        # last: the loop starts after the other hooks' before_* (the cache's switch) and ends
        # after their after_*
        priority = 'VERY_LOW'

        def __init__(self, seconds, method):
            self.seconds, self.method, self.start = seconds, method, None

        def _begin(self, runner):
            self.start = time.perf_counter(), time.process_time()

        def _end(self, phase):
            self.seconds[(self.method, phase, 'wall')] += time.perf_counter() - self.start[0]
            self.seconds[(self.method, phase, 'cpu')] += time.process_time() - self.start[1]

        before_train = before_test = _begin

        def after_train(self, runner):
            self._end('train')

        def after_test(self, runner):
            self._end('test')

    class TimedProtocol(B2NProtocol):

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.seconds = defaultdict(float)
            self._method = None

        def train(self, method, dataset, seed):
            self._method = method['name']
            return super().train(method, dataset, seed)

        def test(self, method, dataset, seed, split, checkpoint):
            self._method = method['name']
            return super().test(method, dataset, seed, split, checkpoint)

        def build_runner(self, cfg):
            runner = super().build_runner(cfg)
            runner.register_hook(LoopTimer(self.seconds, self._method))
            return runner

    return TimedProtocol


def run_once(name: str, args, feature_cache: dict) -> dict:
    import torch
    from mmengine.config import Config

    protocol = Config.fromfile(PROTOCOL)
    protocol.seeds = list(args.seeds)
    protocol.work_dir = osp.join(args.work_dir, name)
    if osp.isdir(protocol.work_dir):
        shutil.rmtree(protocol.work_dir)  # from nothing: every stage runs
    for method in protocol.methods:
        trains = method.get('train', True)
        method['cfg_options'] = stage_options(args.epochs) if trains else {'log_level': 'WARNING'}
        if args.amp:
            # mmengine's val and test loops run the model in autocast(enabled=fp16), which turns
            # the autocast around the protocol off unless fp16 is set; it then keeps its dtype
            method['cfg_options'].update({'test_cfg.fp16': True})
            if trains:
                method['cfg_options'].update({'val_cfg.fp16': True})
    runner = timed_protocol_class()(
        protocol, data_root=args.data_root, log=lambda s: None, feature_cache=feature_cache)
    amp = dict(bf16=torch.bfloat16, fp16=torch.float16).get(args.amp)
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    profiler = cProfile.Profile() if args.profile and name == 'cached' else None
    with torch.autocast(args.device, dtype=amp) if amp else contextlib.nullcontext():
        if profiler is not None:
            profiler.enable()
        tables = runner.run()
        if profiler is not None:
            profiler.disable()
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    if profiler is not None:
        pstats.Stats(profiler).sort_stats('cumulative').print_stats(args.profile)
    return dict(
        runner=runner,
        wall_s=round(wall, 1),
        cpu_s=round(cpu, 1),
        passes_run=runner.encoder_passes['run'],
        passes_reused=runner.encoder_passes['reused'],
        # {'coop train': {'wall': s, 'cpu': s}, ...}, and the rest of each clock
        loop_s={
            f'{m} {phase}': {
                clock: round(runner.seconds[(m, phase, clock)], 1)
                for clock in ('wall', 'cpu')
            }
            for (m, phase, _) in sorted(runner.seconds)
        },
        outside_loops_s={
            clock: round(total - sum(t for k, t in runner.seconds.items() if k[2] == clock), 1)
            for clock, total in (('wall', wall), ('cpu', cpu))
        },
        # base / new / HM of each method, per dataset and averaged (the rows of b2n_results.json)
        accuracies={
            m: {
                row_name: {
                    k: v
                    for k, v in row.items() if k in ('base', 'new', 'hm')
                }
                for row_name, row in t.items() if isinstance(row, dict)
            }
            for m, t in tables.items()
        })


def main() -> None:
    args = parse_args()
    if args.device == 'cpu':
        os.environ['CUDA_VISIBLE_DEVICES'] = ''  # mmengine's Runner would take a GPU
    os.chdir(REPO)  # the configs name ToyCLIP's checkpoint relative to the repository
    import torch

    from fvgpt.setup_env import register_all_modules
    from fvgpt.toyworld import ToyWorldConfig, write_toyworld
    if args.device == 'cuda' and not torch.cuda.is_available():
        sys.exit('--device cuda: no GPU visible to torch.')
    if args.device == 'cpu':
        torch.set_num_threads(min(2, torch.get_num_threads()))
    register_all_modules()
    write_toyworld(args.data_root, ToyWorldConfig(), progress=False)

    runs = {}
    order = ['plain', 'cached'] if args.order == 'plain-first' else ['cached', 'plain']
    settings = dict(
        plain=dict(train=False, test=False),
        cached=dict(train=True, test=True, skip_loading=not args.no_skip_loading))
    for name in order:
        print(f'[{name}] running the protocol ({", ".join(map(str, args.seeds))}) ...', flush=True)
        runs[name] = run_once(name, args, settings[name])
        print(f'[{name}] {runs[name]["wall_s"]} s wall, {runs[name]["cpu_s"]} s CPU', flush=True)

    def epochs_of(method):
        return args.epochs or 10

    triples = distinct_triples(runs['cached']['runner'], args.seeds, epochs_of)
    expected = triples['cacheable'] + triples['uncacheable_passes']
    plain, cached = runs['plain'], runs['cached']
    # never vacuous: every method has rows with figures
    same = plain['accuracies'] == cached['accuracies'] and all(
        any(row for row in rows.values()) for rows in plain['accuracies'].values())
    lines = [
        f'Toy-world B2N protocol (zero-shot, CoOp, FVG-PT on CoOp), seeds '
        f'{" ".join(map(str, args.seeds))}, {args.epochs or 10} epochs, device {args.device}'
        f'{", amp " + args.amp if args.amp else ""}:',
        f'{"run":<14}{"wall s":>9}{"CPU s":>9}{"encoder passes":>16}{"reused":>9}',
    ]
    for name in ('plain', 'cached'):
        r = runs[name]
        lines.append(f'{"no cache" if name == "plain" else "feature cache":<14}{r["wall_s"]:>9}'
                     f'{r["cpu_s"]:>9}{r["passes_run"]:>16}{r["passes_reused"]:>9}')
    lines += [
        f'cache / no cache: wall {cached["wall_s"] / plain["wall_s"]:.2f}x, CPU '
        f'{cached["cpu_s"] / plain["cpu_s"]:.2f}x, encoder passes '
        f'{cached["passes_run"] / plain["passes_run"]:.2f}x',
        f'distinct triples: {triples["cacheable"]} cacheable ({triples["test_pipeline_images"]} '
        f'test/val images x test pipeline, {triples["coop_train_images"]} CoOp training images '
        f'x center crop) + {triples["uncacheable_passes"]} FVG-PT random-crop passes (x, x_fg) '
        f'= {expected}; passes with the cache / triples: {cached["passes_run"] / expected:.2f}x',
        f'accuracies identical with and without the cache: {same}',
    ]
    # where the time goes, and the floor: what no cache can serve, the same work in both runs
    # (the smaller of the two figures)
    coop_name, fvgpt_name = (m['name'] for m in runs['cached']['runner'].protocol.methods[1:3])
    lines.append(f'{"seconds (wall / CPU) in":<26}{"no cache":>15}{"cache":>15}')
    none = dict(wall=0.0, cpu=0.0)

    def pair(seconds):
        return f'{seconds["wall"]:.1f} / {seconds["cpu"]:.1f}'

    for phase in sorted(set(plain['loop_s']) | set(cached['loop_s'])):
        lines.append(f'  {phase + " loops":<24}{pair(plain["loop_s"].get(phase, none)):>15}'
                     f'{pair(cached["loop_s"].get(phase, none)):>15}')
    lines.append(f'  {"outside the loops":<24}{pair(plain["outside_loops_s"]):>15}'
                 f'{pair(cached["outside_loops_s"]):>15}')
    floor = {}
    for clock, total in (('wall', plain['wall_s']), ('cpu', plain['cpu_s'])):
        uncacheable = min(r['loop_s'][f'{fvgpt_name} train'][clock] for r in (plain, cached))
        fixed = min(r['outside_loops_s'][clock] for r in (plain, cached))
        # CoOp's training as the cached run spends it: its prompt steps through the text
        # encoder, and one pass per training image (the distinct triples are computed once)
        stage1 = cached['loop_s'][f'{coop_name} train'][clock]
        floor[clock] = dict(
            uncacheable_s=uncacheable,
            outside_loops_s=fixed,
            stage1_cached_s=stage1,
            loops_ratio=round(uncacheable / total, 2),
            with_fixed_ratio=round((uncacheable + fixed) / total, 2),
            with_stage1_ratio=round((uncacheable + fixed + stage1) / total, 2))
    lines.append(
        f'floor: FVG-PT stage-2 training (random crops, no cache can serve it) '
        f'{floor["wall"]["uncacheable_s"]:.1f} s wall / {floor["cpu"]["uncacheable_s"]:.1f} s '
        f'CPU = {floor["wall"]["loops_ratio"]:.2f}x / {floor["cpu"]["loops_ratio"]:.2f}x the '
        f'no-cache run; with the time outside the loops (Runner builds, checkpoints) '
        f'{floor["wall"]["with_fixed_ratio"]:.2f}x / {floor["cpu"]["with_fixed_ratio"]:.2f}x: '
        'the lowest ratio any cache could reach on this protocol')
    lines.append(
        f'  and with CoOp\'s training as the cached run spends it (prompt steps through the text '
        f'encoder, each training image encoded once; {floor["wall"]["stage1_cached_s"]:.1f} s '
        f'wall / {floor["cpu"]["stage1_cached_s"]:.1f} s CPU): '
        f'{floor["wall"]["with_stage1_ratio"]:.2f}x / {floor["cpu"]["with_stage1_ratio"]:.2f}x')
    print('\n'.join(lines))
    if not same:
        print(json.dumps(dict(plain=plain['accuracies'], cached=cached['accuracies']), indent=1))
    if args.json:
        for r in runs.values():
            r.pop('runner')
        with open(args.json, 'w') as f:
            json.dump(dict(args=vars(args), runs=runs, triples=triples, floor=floor), f, indent=2)


if __name__ == '__main__':
    main()
