"""The README's main job: the whole FVG-PT chain on the embedded toy world, on a CPU.

    python tools/toyworld/demo.py [--seeds 1 2 3] [--world KEY=VALUE ...] [--data-root data]
        [--work-dir work_dirs/toyworld_demo] [--epochs N] [--gt-masks] [--verbose]

1. generates the toy world (``<data-root>/toyworld``; reused when it is already there),
2. makes its foreground masks with the shipped mmsegmentation segmenter, through the library
   calls ``tools/prepare_foreground.py`` makes (``toyworld/mask_seg``; the generator's exact masks
   only with ``--gt-masks``),
3. runs the B2N protocol ``configs/protocols/toyworld_demo.py``, method by method and seed by
   seed: zero-shot ToyCLIP, CoOp (stage 1) and FVG-PT on CoOp (stage 2), each tested on the base
   and the new classes,
4. measures the five conditions the world must meet (``fvgpt/toyworld/conditions.py``): room to
   adapt, CoOp's gain on base and loss on new classes, the attention shift (Grad-CAM foreground
   shift index on the base test images, exact masks) and the segmenter masks' IoU,
5. draws the B2N bars and the Grad-CAM grid of zero-shot / CoOp / FVG-PT on the same images.

The console shows one line per stage, the B2N table, the conditions and the files written; the
full output (mmengine's configs, hook tables and logs) goes to ``<work-dir>/demo.log`` unless
``--verbose``. Every step resumes: a second call redoes nothing that is finished.

Configs and shipped weights are read from the repository (``--repo-root``, by default the one
holding this script), so the demo runs from any folder; ``--data-root`` and ``--work-dir`` are
relative to the current folder.
"""
import argparse
import ast
import json
import os
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, TextIO

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SEGMENTER = ('configs/segmenters/segformer-tiny_toyworld.py',
             'checkpoints/toyseg_segformer_tiny.pth')
TITLES = {'zsclip': 'zero-shot', 'coop': 'CoOp', 'fvgpt': 'FVG-PT (CoOp)'}
BAR_WIDTH = 24
#: The seeds over which the world's five conditions are stated (issue 14, DESIGN.md): one seed's
#: CoOp can land on either side of zero-shot on the new classes.
CONDITION_SEEDS = (1, 2, 3)


def condition_scope(seeds: List[int]) -> str:
    """What the conditions' heading adds when the run's seeds are not the ones the conditions
    are stated over."""
    if sorted(seeds) == sorted(CONDITION_SEEDS):
        return ''
    named = ', '.join(map(str, CONDITION_SEEDS))
    return f' (seeds {", ".join(map(str, seeds))} only; they are stated over seeds {named})'


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--repo-root',
        default=REPO,
        help='the repository whose configs and checkpoints/ the demo uses (default: the one '
        'holding this script)')
    parser.add_argument(
        '--data-root',
        default=None,
        help='defaults to data (the default world) or data/toyworld_<knobs> '
        '(a world changed by --world)')
    parser.add_argument(
        '--work-dir',
        default=None,
        help='defaults to work_dirs/toyworld_demo, with the --world knobs '
        'appended when given')
    parser.add_argument(
        '--seeds',
        nargs='+',
        type=int,
        default=list(CONDITION_SEEDS),
        help='few-shot seeds (default: 1 2 3, over which the world\'s conditions are stated; '
        '--seeds 1 is three times quicker)')
    parser.add_argument(
        '--world',
        nargs='+',
        default=[],
        metavar='KEY=VALUE',
        help='toy-world knobs (fields of fvgpt.toyworld.ToyWorldConfig), e.g. '
        'spurious_corr=0 num_train=20')
    parser.add_argument(
        '--epochs',
        type=int,
        default=None,
        help='override the training epochs of both stages (quick runs)')
    parser.add_argument(
        '--gt-masks',
        action='store_true',
        help="use the generator's exact masks instead of the segmenter's")
    parser.add_argument(
        '--methods',
        nargs='+',
        default=None,
        help='only these protocol methods (conditions and figures need all)')
    parser.add_argument(
        '--grid-images', type=int, default=6, help='test images in the Grad-CAM grid')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help="print mmengine's full output instead of writing it to demo.log")
    return parser.parse_args(argv)


def world_knobs(pairs: List[str]) -> Dict[str, object]:
    """``['spurious_corr=0', 'scale_range=(0.2,0.5)']`` -> dict, values parsed as literals."""
    from fvgpt.toyworld import ToyWorldConfig
    fields = set(ToyWorldConfig.__dataclass_fields__)
    knobs = {}
    for pair in pairs:
        key, sep, value = pair.partition('=')
        if not sep or key not in fields:
            raise SystemExit(f'--world {pair}: use KEY=VALUE with KEY one of {sorted(fields)}.')
        try:
            knobs[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            knobs[key] = value
    return knobs


class Console:
    """The reader's console: short stage lines; the rest of the output goes to a log file.

    Args:
        log_path (str): where the full output goes (file descriptors 1 and 2, so that
            subprocesses and mmengine's handlers follow).
        verbose (bool): leave the output on the console instead.
    """

    def __init__(self, log_path: str, verbose: bool):
        self.verbose = verbose
        self.log_path = log_path
        if verbose:
            self.term: TextIO = sys.stdout
            return
        sys.stdout.flush()
        sys.stderr.flush()
        self.term = os.fdopen(os.dup(1), 'w', buffering=1)
        self._log = open(log_path, 'a', buffering=1)
        os.dup2(self._log.fileno(), 1)
        os.dup2(self._log.fileno(), 2)
        self.tty = self.term.isatty()

    def print(self, text: str = '') -> None:
        self.term.write(text + '\n')
        self.term.flush()

    def stage(self, label: str, total: int) -> 'StageLine':
        return StageLine(self, label, total)


class StageLine:
    """One console line with a progress bar, redrawn in place on a terminal."""

    def __init__(self, console: Console, label: str, total: int):
        self.console, self.label, self.total = console, label, max(total, 1)
        self.done, self.start, self.note = 0, time.time(), ''
        self._draw(final=False)

    def _text(self) -> str:
        filled = int(BAR_WIDTH * self.done / self.total)
        bar = '#' * filled + '.' * (BAR_WIDTH - filled)
        return (f'> {self.label:<32s} [{bar}] {self.done}/{self.total} '
                f'{time.time() - self.start:5.0f} s  {self.note}').rstrip()

    def _draw(self, final: bool) -> None:
        term = self.console.term
        if getattr(self.console, 'tty', False):
            term.write('\r' + self._text() + ('\n' if final else ''))
            term.flush()
        elif final:
            term.write(self._text() + '\n')
            term.flush()
        if self.console.verbose and not final:
            print(f'--- {self.label}', flush=True)

    def tick(self, note: str = '') -> None:
        self.done = min(self.total, self.done + 1)
        self.note = note
        self._draw(final=self.done >= self.total)

    def update(self, done: int) -> None:
        """Sets the count (redrawn on a terminal only, every 2 % of the total)."""
        step = max(1, self.total // 50)
        if done // step != self.done // step and done < self.total:
            self.done = done
            if getattr(self.console, 'tty', False):
                self._draw(final=False)
        self.done = min(done, self.total - 1)

    def finish(self, note: str = '') -> None:
        if self.done < self.total:
            self.done, self.note = self.total, note
            self._draw(final=True)


def side_by_side(tables: Dict[str, dict], dataset: str = 'toyworld') -> List[str]:
    """B2N rows of every method on one dataset, with the difference to CoOp."""
    coop = tables.get('coop', {}).get(dataset)
    header = (f'{"method":<16s}{"base":>16s}{"new":>16s}{"HM":>8s}   '
              f'{"vs CoOp: base / new / HM":<26s}')
    lines = [header, '-' * len(header)]
    for name, table in tables.items():
        row = table.get(dataset)
        if not row or row.get('hm') is None:
            continue

        def cell(key):
            std = row.get(f'{key}_std')
            return f'{row[key]:.2f}' + (f' ± {std:.2f}' if len(row['seeds']) > 1 else '')

        gain = ''
        if coop and name != 'coop' and coop.get('hm') is not None:
            gain = ' / '.join(f'{row[k] - coop[k]:+.2f}' for k in ('base', 'new', 'hm'))
        lines.append(f'{TITLES.get(name, name):<16s}{cell("base"):>16s}{cell("new"):>16s}'
                     f'{row["hm"]:8.2f}   {gain}')
    return lines


def shipped_weight_options(cfg, repo: str, prefix: str = 'model') -> Dict[str, str]:
    """``{dotted key: absolute path}`` for every shipped-weights path (``checkpoints/...``,
    relative to the repository) in a config's ``model``, so that it loads from any folder."""
    options = {}

    def walk(node, key):
        if isinstance(node, dict):
            for name, value in node.items():
                walk(value, f'{key}.{name}')
        elif isinstance(node, str) and node.startswith('checkpoints/'):
            options[key] = osp.join(repo, node)

    walk(cfg.get(prefix, {}), prefix)
    return options


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    args.repo_root = osp.abspath(args.repo_root)
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    start = time.time()
    knobs = world_knobs(args.world)
    suffix = '_'.join(f'{k}{v}'.replace(' ', '').replace(',', '-').strip('()[]')
                      for k, v in knobs.items())
    data_root = args.data_root or ('data' if not knobs else f'data/toyworld_{suffix}')
    from mmengine.config import Config
    protocol = Config.fromfile(osp.join(args.repo_root, 'configs/protocols/toyworld_demo.py'))
    protocol.seeds = args.seeds
    protocol.work_dir = args.work_dir or (protocol.work_dir + (f'_{suffix}' if knobs else ''))
    os.makedirs(protocol.work_dir, exist_ok=True)
    console = Console(osp.join(protocol.work_dir, 'demo.log'), args.verbose)
    run(args, knobs, data_root, protocol, console, start)


def run(args, knobs, data_root, protocol, console: Console, start: float) -> None:
    import numpy as np
    import torch

    from fvgpt.apis import B2NProtocol
    from fvgpt.apis.protocol import SPLITS
    from fvgpt.setup_env import register_all_modules
    from fvgpt.toyworld import ToyWorldConfig, check_conditions, mask_quality, write_toyworld

    torch.set_num_threads(min(2, torch.get_num_threads()))
    register_all_modules()
    work_dir = protocol.work_dir
    world = ToyWorldConfig(**knobs)
    written: List[str] = []

    # 1. the world
    n_images = sum(getattr(world, f'num_{s}')
                   for s in ('train', 'val', 'test')) * len(world.colours) * len(world.shapes)
    line = console.stage('world', n_images)
    dataset_dir = write_toyworld(
        data_root, world, progress=False, on_image=lambda i, n: line.update(i))
    line.finish(dataset_dir)

    # 2. the masks
    mask_dir = osp.join(dataset_dir, 'mask_seg')
    if not args.gt_masks:
        line = console.stage('masks (segmenter)', 1)
        from fvgpt.segmentation import MaskWriter, Segmenter, jobs_from_folder
        from fvgpt.toyworld import TOYWORLD_INFO
        jobs = jobs_from_folder(dataset_dir, TOYWORLD_INFO['image_dir'],
                                TOYWORLD_INFO['split_file'], mask_dir)
        config, checkpoint = (osp.join(args.repo_root, path) for path in SEGMENTER)
        segmenter = Segmenter(config, checkpoint, foreground='binary')
        print(f'{len(jobs)} images, masks under {mask_dir}; {segmenter}', flush=True)
        report = MaskWriter(segmenter, progress=False).run(jobs)
        print(report.format(), flush=True)
        if report.failed or report.interrupted:
            raise SystemExit(f'The segmenter did not write every mask under {mask_dir}:\n' +
                             report.format())
        line.tick(mask_dir)
    mask_rel = osp.join(osp.basename(dataset_dir), 'mask_seg') if not args.gt_masks else None

    # 3. the protocol, method by method and seed by seed
    from mmengine.config import Config
    for method in protocol.methods:
        method['config'] = osp.join(args.repo_root, method['config'])
        options = shipped_weight_options(
            Config.fromfile(method['config'].format(dataset='toyworld')), args.repo_root)
        options.update(method.get('cfg_options', {}))
        if args.epochs and method.get('train', True):
            # Dassl's schedule over the shorter run: the config's warm-up + cosine, T_max = epochs
            options.update({
                'train_cfg.max_epochs': args.epochs,
                'train_cfg.val_interval': args.epochs,
                'param_scheduler.0.T_max': args.epochs
            })
        if mask_rel and method['name'] == 'fvgpt':
            options['train_dataloader.dataset.mask_root'] = mask_rel
        method['cfg_options'] = options
    runner = B2NProtocol(protocol, data_root=data_root, log=print)
    wanted = [m for m in protocol.methods if not args.methods or m['name'] in args.methods]
    for seed in protocol.seeds:
        for method in wanted:
            if seed not in runner.seeds_of(method):
                continue
            trains = method.get('train', True)
            label = f'{TITLES.get(method["name"], method["name"])}' + (
                f' seed {seed}' if method.get('seeded', True) else '')
            line = console.stage(label, len(SPLITS) + int(trains))
            ckpt = runner.train(method, 'toyworld', seed) if trains else None
            if trains:
                line.tick('trained')
            accs = []
            for split in SPLITS:
                accs.append(runner.test(method, 'toyworld', seed, split, ckpt))
                line.tick('  '.join(f'{s} {a:.2f}' for s, a in zip(SPLITS, accs)))
    tables = runner.collect(['toyworld'], [m['name'] for m in wanted])
    written += [osp.join(work_dir, 'b2n_results.json'), osp.join(work_dir, 'b2n_results.md')]

    conditions, shift = None, None
    if not args.methods:
        # 4. the conditions: Grad-CAM shift index on the base test images (exact masks)
        from fvgpt.analysis import (analyze_split, build_mask_dataset, load_analysis_model,
                                    set_class_list_from)
        by_name = {m['name']: m for m in protocol.methods}
        # The generator's exact masks (test masks are never degraded), for every model alike:
        # without it FVG-PT's config would lend its training masks (the segmenter's).
        exact_masks = osp.join(osp.basename(dataset_dir), 'mask')
        line = console.stage('attention shift (Grad-CAM)', 1 + 2 * len(protocol.seeds))
        shift = {name: [] for name in by_name}
        for name, method in by_name.items():
            for seed in runner.seeds_of(method):
                run_dir = runner.run_dir(name, 'toyworld', seed)
                cfg = runner.stage_cfg(method, 'toyworld', seed, run_dir)
                ckpt = runner.checkpoint_of(run_dir) if method.get('train', True) else None
                dataset = build_mask_dataset(cfg, 'base', exact_masks)
                model = load_analysis_model(cfg, ckpt)
                set_class_list_from(model, dataset)
                shift[name].append(
                    analyze_split(model, dataset, 'gradcam', progress=False)['shift_index'])
                line.tick(f'{TITLES[name]} {np.mean(shift[name]):.3f}')
        shift = {name: float(np.mean(v)) for name, v in shift.items()}
        masks = None
        if not args.gt_masks:
            line = console.stage('mask quality (train split)', 1)
            masks = mask_quality(dataset_dir, mask_dir, 'train')
            line.tick(f'median IoU {masks["median"]:.2f}')
        conditions = check_conditions(
            tables['zsclip']['toyworld'],
            tables['coop']['toyworld'],
            shift=dict(zeroshot=shift['zsclip'], coop=shift['coop']),
            masks=masks)
        with open(osp.join(work_dir, 'conditions.json'), 'w') as f:
            json.dump(
                dict(
                    world=world.to_dict(),
                    seeds=list(protocol.seeds),
                    shift_index=shift,
                    mask_iou=masks,
                    conditions=[c.__dict__ for c in conditions]),
                f,
                indent=1)
        written.append(osp.join(work_dir, 'conditions.json'))

        # 5. the figures
        from fvgpt.analysis import compare_models, plot_b2n
        line = console.stage('figures', 2)
        bars = plot_b2n(tables, osp.join(work_dir, 'b2n_bars.png'), title='Toy world, base-to-new')
        line.tick()
        seed = protocol.seeds[0]
        specs = []
        for name, method in by_name.items():
            run_dir = runner.run_dir(name, 'toyworld', seed)
            specs.append(
                dict(
                    name=TITLES[name],
                    cfg=runner.stage_cfg(method, 'toyworld', seed, run_dir),
                    checkpoint=runner.checkpoint_of(run_dir)
                    if method.get('train', True) else None))
        grid = compare_models(
            specs,
            osp.join(work_dir, 'analysis'),
            num_images=args.grid_images,
            mask_root=exact_masks,
            title='Toy world, base test images: Grad-CAM of the predicted '
            'class (white: exact mask)',
            log=print)
        line.tick()
        written += [bars, *grid['paths']]

    console.print()
    console.print(f'B2N on the toy world, seeds {",".join(map(str, protocol.seeds))} '
                  '(accuracy %, mean ± std over seeds)')
    for row in side_by_side(tables):
        console.print(row)
    if conditions:
        console.print()
        console.print('Conditions of the real problem, measured in this world'
                      f'{condition_scope(protocol.seeds)}:')
        for cond in conditions:
            console.print(cond.line())
        if shift and 'fvgpt' in shift:
            console.print(f'   (FVG-PT shift index {shift["fvgpt"]:.3f})')
    console.print()
    console.print('Files: ' + ', '.join(written))
    if not console.verbose:
        console.print(f'Full log: {console.log_path}')
    console.print(f'Done in {time.time() - start:.0f} s.')


if __name__ == '__main__':
    main()
