"""Write foreground masks of a dataset's images with an mmseg segmenter.

    # a registered fvgpt dataset: its image list, its mask folder (what it reads with masks on)
    python tools/prepare_foreground.py CONFIG CHECKPOINT --dataset oxford_pets --data-root $DATA \\
        --foreground coco_stuff_things [--device cuda] [--batch-size 8]

    # any dataset folder: the images of a CoOp split file, or every image under --image-dir
    python tools/prepare_foreground.py CONFIG CHECKPOINT --dataset-dir $DATA/oxford_pets \\
        --image-dir images [--split-file split_zhou_OxfordPets.json] --foreground ade20k_things

    # also report the agreement (IoU) with another mask set, e.g. the authors' bundle
    python tools/prepare_foreground.py ... --compare-to $BUNDLE/oxford_pets/mask

Masks are single-channel 0/255 PNGs at ``<mask root>/<image path relative to the dataset folder,
.png>`` (docs/conventions.md, "Mask layout"). Finished masks are skipped, so an interrupted run
resumes; a mask is written through a temporary file, never half. CONFIG may name a config shipped
with mmseg: ``mmseg::segformer/segformer_mit-b5_8xb2-160k_ade20k-640x640.py``. Nothing is
downloaded: CHECKPOINT is a local file (docs/foreground_masks.md lists the public ones).
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional, Union

from mmengine.config import DictAction

from fvgpt.datasets import jobs_from_dataset
from fvgpt.segmentation import MaskWriter, Segmenter, jobs_from_folder
from fvgpt.segmentation.presets import FOREGROUND_PRESETS
from fvgpt.setup_env import register_all_modules


def parse_foreground(values: Optional[List[str]]) -> Union[None, str, List[Union[str, int]]]:
    """``--foreground``: one preset name, or class names / indices (digits are indices)."""
    if not values:
        return None
    if len(values) == 1 and values[0] in FOREGROUND_PRESETS:
        return values[0]
    return [int(v) if v.isdigit() else v for v in values]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Write foreground masks of a dataset with an mmseg segmenter',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__)
    parser.add_argument('config', help='mmseg config of the segmenter (file or mmseg::<path>)')
    parser.add_argument('checkpoint', help='its weights (local file)')
    source = parser.add_argument_group('images (one of --dataset or --dataset-dir)')
    source.add_argument('--dataset', help='registered fvgpt dataset or CoOp name (oxford_pets)')
    source.add_argument('--data-root', help='with --dataset: CoOp\'s $DATA folder')
    source.add_argument('--dataset-dir', help='a dataset folder (mask paths are relative to it)')
    source.add_argument(
        '--image-dir',
        default='',
        help='with --dataset-dir: the image folder under it (default: itself)')
    source.add_argument(
        '--split-file',
        help='with --dataset-dir: a CoOp split file '
        '(split_zhou_*.json) whose images to segment (default: all images)')
    parser.add_argument('--mask-root', help='where masks go (default: <dataset folder>/mask)')
    parser.add_argument(
        '--foreground',
        nargs='+',
        metavar='PRESET|CLASS',
        help=f'foreground classes: a preset ({", ".join(FOREGROUND_PRESETS)}) '
        'or class names / indices; not for open-vocabulary (SAN) segmenters')
    parser.add_argument(
        '--background-words',
        nargs='+',
        default=['background'],
        help='open-vocabulary only: texts the class name competes with')
    parser.add_argument(
        '--class-names',
        nargs='+',
        help='the segmenter\'s classes, if neither checkpoint nor config names '
        'them')
    parser.add_argument('--device', default='cpu', help='cpu, cuda, cuda:1, ...')
    parser.add_argument('--batch-size', type=int, default=8, help='images per segmenter call')
    parser.add_argument('--workers', type=int, default=2, help='image-reading threads')
    parser.add_argument('--overwrite', action='store_true', help='redo existing masks')
    parser.add_argument(
        '--compare-to',
        metavar='DIR',
        help='mask folder to compare with (IoU), laid out like the mask root')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override segmenter config settings, key=value')
    args = parser.parse_args(argv)
    if bool(args.dataset) == bool(args.dataset_dir):
        parser.error('give either --dataset (with --data-root) or --dataset-dir.')
    if args.dataset and not args.data_root:
        parser.error('--dataset needs --data-root (CoOp\'s $DATA folder).')
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    register_all_modules()
    if args.dataset:
        jobs = jobs_from_dataset(args.dataset, args.data_root, args.mask_root)
    else:
        jobs = jobs_from_folder(args.dataset_dir, args.image_dir, args.split_file, args.mask_root)
    segmenter = Segmenter(
        args.config,
        args.checkpoint,
        foreground=parse_foreground(args.foreground),
        device=args.device,
        class_names=args.class_names,
        background_words=args.background_words,
        cfg_options=args.cfg_options)
    mask_dir = osp.commonpath([osp.dirname(job.mask_path) for job in jobs])
    print(f'{len(jobs)} images, masks under {mask_dir}; {segmenter}', flush=True)
    writer = MaskWriter(
        segmenter,
        batch_size=args.batch_size,
        num_workers=args.workers,
        overwrite=args.overwrite,
        compare_to=args.compare_to,
        progress=not args.no_progress)
    report = writer.run(jobs)
    print(report.format(), flush=True)
    if report.interrupted:
        return 130
    return 1 if report.failed else 0


if __name__ == '__main__':
    sys.exit(main())
