"""The toy-world demo's attention analysis: zero-shot ToyCLIP, CoOp and FVG-PT side by side.

    python tools/toyworld/analyze.py [--work-dir work_dirs/toyworld_demo] [--data-root data]
        [--seed 1] [--num-images 6] [--method gradcam|cls_attention] [--gt-masks]
        [--docs docs/toyworld_gradcam.png]

Reads the models the demo (``tools/toyworld/demo.py``) trained, with the stage configs of its
protocol (``configs/protocols/toyworld_demo.py``), and writes into ``<work-dir>/analysis/``:

- ``gradcam_grid.png`` + ``gradcam.json``: the maps of the three models on the same base test
  images (the paper's Fig. 1);
- ``shift_index.json``: each model's foreground shift index and accuracy over the whole base
  test split (Grad-CAM of the predicted class, the share of the map outside the mask).

The masks are the ones FVG-PT trained with: the segmenter's (``toyworld/mask_seg``), or the
generator's with ``--gt-masks``. ``--docs PATH`` also writes the grid there, as a palette PNG
(the README's picture: ``python tools/toyworld/analyze.py --docs docs/toyworld_gradcam.png``
after ``bash tools/demo.sh``).
"""
import argparse
import json
import os
import os.path as osp
import time

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
METHODS = (('zsclip', 'zero-shot ToyCLIP'), ('coop', 'CoOp'), ('fvgpt', 'FVG-PT (CoOp)'))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--work-dir', default='work_dirs/toyworld_demo', help="the demo's work dir")
    parser.add_argument('--data-root', default='data')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--num-images', type=int, default=6)
    parser.add_argument('--method', default='gradcam', choices=['gradcam', 'cls_attention'])
    parser.add_argument(
        '--gt-masks',
        action='store_true',
        help="the generator's exact masks instead of the segmenter's")
    parser.add_argument('--docs', help='also copy the grid to this path')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    work_dir, data_root = osp.abspath(args.work_dir), osp.abspath(args.data_root)
    docs = osp.abspath(args.docs) if args.docs else None
    os.chdir(REPO)  # the configs name ToyCLIP's checkpoint relative to the repository
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    from mmengine.config import Config

    from fvgpt.analysis import (analyze_split, build_mask_dataset, compare_models,
                                load_analysis_model, set_class_list_from)
    from fvgpt.analysis.figure_utils import compact_copy
    from fvgpt.apis import B2NProtocol
    from fvgpt.setup_env import register_all_modules
    register_all_modules()
    start = time.time()
    protocol = Config.fromfile('configs/protocols/toyworld_demo.py')
    protocol.work_dir = work_dir
    runner = B2NProtocol(protocol, data_root=data_root, log=lambda line: None)
    by_name = {m['name']: m for m in protocol.methods}
    mask_root = None if args.gt_masks else 'toyworld/mask_seg'
    models = []
    for name, title in METHODS:
        method = by_name[name]
        run_dir = runner.run_dir(name, 'toyworld',
                                 args.seed if method.get('seeded', True) else protocol.seeds[0])
        if method.get('train', True):
            if not osp.isfile(osp.join(run_dir, 'train_done.json')):
                raise SystemExit(f'{name} has not been trained in {run_dir}: run the demo first '
                                 f'(python tools/toyworld/demo.py --work-dir {args.work_dir}).')
            ckpt = runner.checkpoint_of(run_dir)
        else:
            ckpt = None
        cfg = runner.stage_cfg(method, 'toyworld', args.seed, run_dir)
        models.append(dict(name=title, cfg=cfg, checkpoint=ckpt))
    out_dir = osp.join(work_dir, 'analysis')
    grid = compare_models(
        models,
        out_dir,
        num_images=args.num_images,
        method=args.method,
        mask_root=mask_root,
        title=f'Toy world, base test images: {args.method} of the predicted '
        'class (white: foreground mask)')
    shift = dict(
        method=args.method,
        split='base',
        masks='generator' if args.gt_masks else 'segmenter',
        models={})
    for spec in models:
        dataset = build_mask_dataset(spec['cfg'], 'base', mask_root)
        model = load_analysis_model(spec['cfg'], spec['checkpoint'])
        set_class_list_from(model, dataset)
        out = analyze_split(model, dataset, args.method, desc=spec['name'])
        shift['models'][spec['name']] = {
            k: out[k]
            for k in ('shift_index', 'accuracy', 'num_images', 'num_used', 'excluded', 'scored_by')
        }
    shift_json = osp.join(out_dir, 'shift_index.json')
    with open(shift_json, 'w') as f:
        json.dump(shift, f, indent=2)
    print(f'\nforeground shift index ({args.method}, base test split, share outside the mask):')
    for name, row in shift['models'].items():
        index = 'n/a' if row['shift_index'] is None else f'{row["shift_index"]:.4f}'
        print(f'  {name:<20} {index}   accuracy {row["accuracy"]:.2f}   '
              f'({row["num_used"]}/{row["num_images"]} images used{excluded_note(row)})')
    paths = [*grid['paths'], shift_json]
    if docs:  # a palette PNG: the README's picture stays small
        paths.append(compact_copy(grid['paths'][0], docs))
    print(f'Saved to {", ".join(paths)} ({time.time() - start:.0f} s)')


def excluded_note(row: dict) -> str:
    counts = [f'{len(paths)} {reason}' for reason, paths in row['excluded'].items() if paths]
    return f'; excluded: {", ".join(counts)}' if counts else ''


if __name__ == '__main__':
    main()
