"""Check a CoOp ``$DATA`` tree: what is found and missing per dataset, and how to fix it.

    python tools/check_data.py --data-root DATA [--datasets NAME ...|all] [--masks]

Prints one table per dataset (folders, split file, classes, images per split against CoOp's
counts, listed images missing on disk, and with ``--masks`` the foreground masks of the train
images) with the fix under each problem, and exits with status 1 when anything is wrong, else 0.
Nothing is written. Dataset names are CoOp's config names (``oxford_pets``) or class names
(``OxfordPets``); the default is the 11 datasets of the base-to-new protocol.
"""
import argparse
import sys
from typing import List, Optional

from fvgpt.datasets.coop_meta import B2N_DATASETS, COOP_DATASETS, get_coop_meta
from fvgpt.datasets.data_check import check_dataset, format_report


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Check a CoOp $DATA tree (folders, split files, images, masks)')
    parser.add_argument('--data-root', required=True,
                        help='the folder holding the dataset folders (CoOp\'s $DATA)')
    parser.add_argument('--datasets', nargs='+', default=list(B2N_DATASETS),
                        help='datasets to check ("all" for the 15); defaults to the 11 of the '
                        f'base-to-new protocol. Known: {", ".join(COOP_DATASETS)}')
    parser.add_argument('--masks', action='store_true',
                        help='also check the foreground mask of every train image (test image '
                        'for the test-only datasets)')
    parser.add_argument('--examples', type=int, default=3,
                        help='how many missing paths to name per problem (default 3)')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the check; returns the exit status (1 when anything is wrong)."""
    args = parse_args(argv)
    names = list(COOP_DATASETS) if args.datasets == ['all'] else args.datasets
    try:
        names = [get_coop_meta(n).name for n in names]
    except KeyError as e:
        print(e.args[0], file=sys.stderr)
        return 2
    bad = []
    for name in names:
        rows = check_dataset(name, args.data_root, masks=args.masks, examples=args.examples)
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
