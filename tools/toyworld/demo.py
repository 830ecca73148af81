"""The README's main job: the whole FVG-PT chain on the embedded toy world, on a CPU.

    python tools/toyworld/demo.py [--seeds 1] [--spurious-corr 0.75] [--data-root data]
        [--work-dir work_dirs/toyworld_demo] [--epochs N] [--gt-masks]

1. generates the toy world (``<data-root>/toyworld``; reused when it is already there),
2. makes its foreground masks with the shipped mmsegmentation segmenter through
   ``tools/prepare_foreground.py`` (into ``toyworld/mask_seg``; the generator's exact masks are
   not used unless ``--gt-masks``),
3. runs the B2N protocol ``configs/protocols/toyworld_demo.py``: zero-shot ToyCLIP, CoOp
   (stage 1) and FVG-PT on CoOp (stage 2), each tested on the base and the new classes,
4. prints the B2N table and saves it in the work dir (``b2n_results.{json,md}``), and the
   Grad-CAM grid and foreground shift index of the three models (``analysis/``, by
   ``tools/toyworld/analyze.py``).

Every step resumes: a second call redoes nothing that is finished.
"""
import argparse
import dataclasses
import os
import os.path as osp
import subprocess
import sys
import time

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SEGMENTER = ('configs/segmenters/segformer-tiny_toyworld.py',
             'checkpoints/toyseg_segformer_tiny.pth')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default=None,
                        help='defaults to data (the default world) or data/toyworld_sc<X> '
                        '(a world with another --spurious-corr)')
    parser.add_argument('--work-dir', default=None,
                        help='defaults to work_dirs/toyworld_demo, with the world knobs '
                        'appended when given')
    parser.add_argument('--seeds', nargs='+', type=int, default=[1])
    parser.add_argument('--spurious-corr', type=float, default=None,
                        help='share of training images on their class\'s own background '
                        '(the world\'s default when not given)')
    parser.add_argument('--degraded-mask-ratio', type=float, default=None)
    parser.add_argument('--num-train', type=int, default=None,
                        help='training images per class (a smaller world for quick runs)')
    parser.add_argument('--num-val', type=int, default=None)
    parser.add_argument('--num-test', type=int, default=None)
    parser.add_argument('--epochs', type=int, default=None,
                        help='override the training epochs of both stages (quick runs)')
    parser.add_argument('--gt-masks', action='store_true',
                        help="use the generator's exact masks instead of the segmenter's")
    parser.add_argument('--methods', nargs='+', default=None)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.chdir(REPO)  # configs name the shipped checkpoints relative to the repository
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    from fvgpt.apis import B2NProtocol
    from fvgpt.evaluation import format_b2n_tables
    from fvgpt.toyworld import ToyWorldConfig, write_toyworld
    from fvgpt.utils import register_all_modules, register_safe_globals

    register_all_modules()
    register_safe_globals()
    knobs = {}
    if args.spurious_corr is not None:
        knobs['spurious_corr'] = args.spurious_corr
    if args.degraded_mask_ratio is not None:
        knobs['degraded_mask_ratio'] = args.degraded_mask_ratio
    for size in ('num_train', 'num_val', 'num_test'):
        if getattr(args, size) is not None:
            knobs[size] = getattr(args, size)
    world = ToyWorldConfig(**knobs)
    if args.data_root is None:
        args.data_root = 'data' if not knobs else 'data/toyworld_' + '_'.join(
            f'{k}{v:g}' for k, v in knobs.items())
    start = time.time()
    print(f'[1/3] toy world: {dataclasses.asdict(world)}', flush=True)
    dataset_dir = write_toyworld(args.data_root, world, progress=True)

    mask_root = None
    if not args.gt_masks:
        print('[2/3] foreground masks from the segmenter '
              f'({SEGMENTER[1]}) -> {dataset_dir}/mask_seg', flush=True)
        subprocess.run([
            sys.executable, 'tools/prepare_foreground.py', *SEGMENTER, '--dataset-dir',
            dataset_dir, '--image-dir', 'images', '--split-file', 'split_zhou_ToyWorld.json',
            '--mask-root', osp.join(dataset_dir, 'mask_seg'), '--foreground', 'binary'
        ], check=True)
        mask_root = osp.join(osp.basename(dataset_dir), 'mask_seg')

    protocol = Config.fromfile('configs/protocols/toyworld_demo.py')
    protocol.seeds = args.seeds
    if args.work_dir:
        protocol.work_dir = args.work_dir
    elif knobs:
        protocol.work_dir = protocol.work_dir + '_' + '_'.join(f'{k}{v:g}'
                                                               for k, v in knobs.items())
    for method in protocol.methods:
        options = dict(method.get('cfg_options', {}))
        if args.epochs and method.get('train', True):
            options.update({'train_cfg.max_epochs': args.epochs, 'train_cfg.val_interval':
                            args.epochs, 'param_scheduler': []})
        if mask_root and method['name'] == 'fvgpt':
            options['train_dataloader.dataset.mask_root'] = mask_root
        method['cfg_options'] = options
    print(f'[3/3] protocol {protocol.work_dir}: '
          f'{", ".join(m["name"] for m in protocol.methods)}; seeds {args.seeds}', flush=True)
    runner = B2NProtocol(protocol, data_root=args.data_root)
    tables = runner.run(methods=args.methods)
    print()
    print(format_b2n_tables(tables))
    if not args.methods:  # Grad-CAM grid and shift index of the three models (analysis/)
        subprocess.run([sys.executable, 'tools/toyworld/analyze.py', '--work-dir',
                        protocol.work_dir, '--data-root', args.data_root, '--seed',
                        str(args.seeds[0])] + (['--gt-masks'] if args.gt_masks else []),
                       check=True)
    print()
    print(f'Saved to {protocol.work_dir}/b2n_results.{{json,md}} '
          f'({time.time() - start:.0f} s in all)')


if __name__ == '__main__':
    main()
