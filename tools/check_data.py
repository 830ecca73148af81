"""Check a CoOp ``$DATA`` tree: what is found and missing per dataset, and how to fix it.

    python tools/check_data.py --data-root DATA [--datasets NAME ...|all] [--masks]
    python tools/check_data.py --config CONFIG [--data-root DATA] [--masks]

Prints one table per dataset (folders, split file, classes, images per split against CoOp's
counts, listed images missing on disk, images that do not decode completely (0-byte, truncated,
damaged), and with ``--masks`` the foreground masks of the train images: missing, unreadable,
of another aspect ratio than their image, empty, full) with the fix under each problem, and
exits with status 1 when anything is wrong, else 0. Nothing is written. Dataset names are
CoOp's config names (``oxford_pets``) or class names (``OxfordPets``); the default is the 11
datasets of the base-to-new protocol. ``--config`` checks the datasets of a config's
dataloaders instead (any fvgpt dataset, e.g. the toy world's). Every file is decoded
completely, which takes a while on big datasets; ``--no-read`` only checks that files exist.
"""
import argparse
import sys
from typing import List, Optional

from fvgpt.datasets.coop_meta import B2N_DATASETS, COOP_DATASETS, get_coop_meta
from fvgpt.datasets.data_check import check_dataset, format_report


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Check a CoOp $DATA tree (folders, split files, images, masks)')
    parser.add_argument(
        '--data-root',
        help='the folder holding the dataset folders (CoOp\'s $DATA); with '
        '--config, overrides the config\'s data_root')
    parser.add_argument('--config', help='check the datasets of this config\'s dataloaders')
    parser.add_argument(
        '--datasets',
        nargs='+',
        default=list(B2N_DATASETS),
        help='datasets to check ("all" for the 15); defaults to the 11 of the '
        f'base-to-new protocol. Known: {", ".join(COOP_DATASETS)}')
    parser.add_argument(
        '--masks',
        action='store_true',
        help='also check the foreground mask of every train image (test image '
        'for the test-only datasets)')
    parser.add_argument(
        '--examples',
        type=int,
        default=3,
        help='how many missing paths to name per problem (default 3)')
    parser.add_argument(
        '--no-read',
        action='store_true',
        help='only check that files exist (faster; does not find 0-byte, '
        'truncated or damaged images and masks)')
    args = parser.parse_args(argv)
    if args.config is None and args.data_root is None:
        parser.error('give --data-root (CoOp datasets) or --config')
    return args


def check_config(args: argparse.Namespace) -> int:
    """``--config``: checks the config's dataloader datasets; returns the exit status."""
    from mmengine.config import Config

    from fvgpt.datasets.data_check import check_config_datasets, format_rows
    from fvgpt.setup_env import register_all_modules
    from fvgpt.utils.cli import propagate_data_root
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.data_root:
        cfg.data_root = args.data_root
    propagate_data_root(cfg)
    reports = check_config_datasets(
        cfg, masks=args.masks, examples=args.examples, read=not args.no_read)
    bad = 0
    for title, rows in reports:
        print(format_rows(f'== {title}', rows), end='\n\n')
        bad += any(r.is_problem for r in rows)
    if bad:
        print(f'Problems in {bad} of {len(reports)} dataset(s) of {args.config}.')
        return 1
    print(f'All {len(reports)} dataset(s) of {args.config} OK.')
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the check; returns the exit status (1 when anything is wrong)."""
    args = parse_args(argv)
    if args.config:
        return check_config(args)
    names = list(COOP_DATASETS) if args.datasets == ['all'] else args.datasets
    try:
        names = [get_coop_meta(n).name for n in names]
    except KeyError as e:
        print(e.args[0], file=sys.stderr)
        return 2
    bad = []
    for name in names:
        rows = check_dataset(
            name, args.data_root, masks=args.masks, examples=args.examples, read=not args.no_read)
        print(format_report(name, args.data_root, rows), end='\n\n')
        if any(r.is_problem for r in rows):
            bad.append(name)
    if bad:
        print(f'Problems in {len(bad)} of {len(names)} dataset(s): {", ".join(bad)}. '
              'docs/datasets.md explains how to prepare each dataset.')
        return 1
    print(f'All {len(names)} dataset(s) OK.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
