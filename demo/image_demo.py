"""Classify your own images with a tuned prompt, over class names of your choice.

    python demo/image_demo.py IMAGE_OR_FOLDER CONFIG [CHECKPOINT] --classes a,b,c
        [--templates "a photo of a {}." ...] [--subsample base|new] [--show-dir DIR]
        [--batch-size N] [--topk K] [--device cpu|cuda] [--cfg-options key=value ...]

Prints one row per image (top-1 class and score, the top 3, and for FVG-PT the branch that
scored); with ``--show-dir`` writes each image with its top-3 labels. A file that is not an image
is reported by name and skipped. ``--classes`` also takes a text file with one class per line.
An FVG-PT config also loads its stage-1 checkpoint (``model.backbone_ckpt``; another one with
``--cfg-options model.backbone_ckpt=DIR_OR_FILE``).
"""
import argparse
import os.path as osp
import sys
from typing import List

from mmengine.config import DictAction

from fvgpt.apis import PromptClassificationInferencer


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('inputs', help='an image file or a folder of images')
    parser.add_argument('config', help='the config the checkpoint was trained with')
    parser.add_argument(
        'checkpoint',
        nargs='?',
        default=None,
        help='checkpoint file; may be omitted for models with nothing trained '
        '(zero-shot CLIP)')
    parser.add_argument(
        '--classes',
        default=None,
        help='class names separated by commas, or a text file with one per '
        "line; default: the checkpoint's training classes")
    parser.add_argument(
        '--templates',
        nargs='+',
        default=None,
        help="prompt templates with one {} each; default: the checkpoint's "
        "dataset's, else 'a photo of a {}.'")
    parser.add_argument(
        '--subsample',
        choices=['base', 'new', 'all'],
        default=None,
        help="which B2N half the classes are (FVG-PT's branch: base -> z_fdc, "
        'new -> z_pc); default: the model decides as in testing')
    parser.add_argument(
        '--show-dir', default=None, help='write each image with its top-3 labels into this folder')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--topk', type=int, default=3, help='classes listed per image')
    parser.add_argument('--device', default=None, help='default: cuda when available, else cpu')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value (e.g. '
        'model.backbone_ckpt=work_dirs/coop_b2n_dtd/seed1 for FVG-PT)')
    return parser.parse_args(argv)


def read_classes(value: str) -> List[str]:
    """Class names from ``a,b,c`` or from a text file with one name per line."""
    if osp.isfile(value):
        with open(value) as f:
            names = [line.strip() for line in f if line.strip()]
    else:
        names = [name.strip() for name in value.split(',') if name.strip()]
    if not names:
        raise ValueError(f'--classes {value!r} gives no class name.')
    return names


def format_table(results: List[dict], topk: int) -> str:
    """One row per image: name, branch, top-1 class and score, then the other top classes."""
    rows = [('image', 'branch', 'class', 'score', f'top-{topk}')]
    for i, result in enumerate(results):
        name = osp.basename(result['img_path']) if result['img_path'] else f'array {i}'
        top = ', '.join(f"{t['class']} {t['score']:.2f}" for t in result['topk'][:topk])
        rows.append((name, result['branch']
                     or '-', result['pred_class'], f"{result['pred_score']:.3f}", top))
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = [
        '  '.join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + '  ' + row[4] for row in rows
    ]
    lines.insert(1, '-' * len(lines[0]))
    return '\n'.join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    classes = read_classes(args.classes) if args.classes else None
    inferencer = PromptClassificationInferencer(
        args.config,
        args.checkpoint,
        classes=classes,
        templates=args.templates,
        subsample=args.subsample,
        device=args.device,
        cfg_options=args.cfg_options)
    results = inferencer(
        args.inputs, batch_size=args.batch_size, topk=max(args.topk, 3), show_dir=args.show_dir)
    print(f'{len(inferencer.classes)} classes: {", ".join(inferencer.classes)}')
    if results:
        print(format_table(results, args.topk))
    for path, reason in inferencer.skipped:
        print(f'Skipped (not an image): {path} ({reason})')
    if args.show_dir and results:
        print(f'Images with their top-3 labels: {args.show_dir}')
    if not results:
        print(f'No image could be read from {args.inputs}.', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
