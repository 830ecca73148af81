"""Attention maps of several models on the same test images: the paper's Fig. 1 grid.

    python tools/analysis/gradcam.py CONFIG CKPT [CONFIG CKPT ...] [--images 0 7 12 | PATH ...]
        [--num-images 6] [--split base] [--method gradcam|cls_attention] [--names A B ...]
        [--mask-root DIR] [--work-dir work_dirs/analysis/gradcam] [--cfg-options key=value ...]

Each model is a config and a checkpoint (a file, a work dir with ``last_checkpoint``, or
``none`` for zero-shot CLIP). FVG-PT checkpoints hold the heads only: its config (e.g. the one
mmengine saved in the stage-2 work dir) names the stage-1 checkpoint in
``model.backbone_ckpt``. The images are test images of the split (indices into it, or paths
ending like the dataset's image paths; by default ``--num-images`` spread over the split), with
their foreground masks (the dataset's mask folder, or ``--mask-root``). Rows are images, columns
are models: each map (Grad-CAM of the predicted class, through the branch that scores the split
for FVG-PT) over the image, with the predicted class, right or wrong, the mask outline and the
share of the map outside the mask. Writes ``gradcam_grid.png`` and ``gradcam.json``.
"""
import argparse
import os.path as osp

from mmengine.config import Config, DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        'models',
        nargs='+',
        metavar='CONFIG CKPT',
        help='pairs of config and checkpoint ("none" for zero-shot CLIP)')
    parser.add_argument(
        '--images',
        nargs='+',
        help='test images: indices into the split, or '
        'paths (the end of the image path is enough)')
    parser.add_argument(
        '--num-images',
        type=int,
        default=6,
        help='without --images, this many images spread over the split')
    parser.add_argument('--split', default='base', choices=['base', 'new', 'all'])
    parser.add_argument('--method', default='gradcam', choices=['gradcam', 'cls_attention'])
    parser.add_argument('--names', nargs='+', help='column titles (default: config names)')
    parser.add_argument(
        '--mask-root',
        help='folder of the test masks, for every model (default: '
        'the first training mask_root among the configs, else the dataset\'s)')
    parser.add_argument('--work-dir', default='work_dirs/analysis/gradcam')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='merged into every config (e.g. test_dataloader.dataset.data_root)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if len(args.models) % 2:
        raise SystemExit('Give the models as CONFIG CKPT pairs ("none" as CKPT for zero-shot '
                         f'CLIP); got {len(args.models)} arguments.')
    from fvgpt.analysis import compare_models
    from fvgpt.setup_env import register_all_modules
    register_all_modules()
    pairs = list(zip(args.models[::2], args.models[1::2]))
    names = args.names or [osp.splitext(osp.basename(c))[0] for c, _ in pairs]
    if len(names) != len(pairs):
        raise SystemExit(f'--names gives {len(names)} names for {len(pairs)} models.')
    models = []
    for (config, ckpt), name in zip(pairs, names):
        cfg = Config.fromfile(config)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        models.append(dict(name=name, cfg=cfg, checkpoint=ckpt))
    out = compare_models(
        models,
        args.work_dir,
        args.images,
        args.num_images,
        args.split,
        args.method,
        args.mask_root,
        args.device,
        title=f'{args.method} on {args.split} test images')
    print('Saved to', ' and '.join(out['paths']))


if __name__ == '__main__':
    main()
