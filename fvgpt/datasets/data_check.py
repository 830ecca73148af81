"""Checks a CoOp ``$DATA`` tree without loading it: what is there, what is missing, and the fix.

Used by ``tools/check_data.py``. The layout knowledge stays in the dataset classes
(:meth:`B2NDataset.required_paths`, :meth:`B2NDataset.read_split`, :meth:`B2NDataset.find_mask`)
and in :mod:`fvgpt.datasets.coop_meta`; this module only walks it and reports.
"""
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from fvgpt.registry import DATASETS
from .b2n_dataset import B2NDataset
from .coop_meta import COOP_DATASETS_MD, FVGPT_MASK_BUNDLE, HF_MIRROR, get_coop_meta

OK, MISSING, WRONG = 'ok', 'MISSING', 'WRONG'


@dataclass
class CheckRow:
    """One line of a dataset's report.

    Args:
        item (str): what was checked ("split file", "train images").
        status (str): ``'ok'``, ``'MISSING'`` or ``'WRONG'``.
        detail (str): what was found.
        fix (str): how to fix it ('' when ok).
    """

    item: str
    status: str
    detail: str
    fix: str = ''

    @property
    def is_problem(self) -> bool:
        """Whether the row reports a problem."""
        return self.status != OK


def _examples(paths: Sequence[str], num: int) -> str:
    more = f', ... ({len(paths) - num} more)' if len(paths) > num else ''
    return ', '.join(paths[:num]) + more


def check_dataset(name: str, data_root: str, masks: bool = False,
                  expected_counts: Optional[Dict[str, int]] = None,
                  expected_classes: Optional[int] = None, examples: int = 3) -> List[CheckRow]:
    """Checks one CoOp dataset under ``data_root``.

    Args:
        name (str): the dataset (CoOp config name, CoOp or fvgpt class name).
        data_root (str): CoOp's ``$DATA``.
        masks (bool): also check the foreground mask of every train image (every test image
            for the test-only datasets). Defaults to False.
        expected_counts (dict, optional): images per split to expect. Defaults to CoOp's.
        expected_classes (int, optional): classes to expect. Defaults to CoOp's.
        examples (int): how many missing paths to name. Defaults to 3.

    Returns:
        list[CheckRow]: the report, in checking order.
    """
    meta = get_coop_meta(name)
    counts = meta.counts if expected_counts is None else expected_counts
    num_classes = meta.num_classes if expected_classes is None else expected_classes
    dataset: B2NDataset = DATASETS.get(meta.fvgpt_class)(
        data_root=data_root, split='test' if meta.test_only else 'train', lazy_init=True)
    rows = []
    for req in dataset.required_paths():
        ok = req.exists()
        rows.append(CheckRow(req.what, OK if ok else MISSING, req.path, '' if ok else req.fix))
    if any(r.is_problem for r in rows):
        return rows

    refetch = (f'get CoOp\'s split file again ({COOP_DATASETS_MD} or {HF_MIRROR})'
               if meta.split_file else f're-extract the files: {meta.source}')
    keys = dataset.available_splits()
    try:
        split = dataset.read_split(keys)
        names = dataset.class_names()
    except (ValueError, FileNotFoundError, OSError) as e:
        detail, _, rest = str(e).partition('\n')
        rows.append(CheckRow('split', WRONG, detail, rest.strip() or refetch))
        return rows
    ok = len(names) == num_classes
    rows.append(CheckRow('classes', OK if ok else WRONG,
                         f'{len(names)} (CoOp: {num_classes})', '' if ok else refetch))
    ignored = sorted(set(names) & set(meta.ignored_classes))
    if ignored:
        rows.append(CheckRow('class names', WRONG, f'holds {ignored}, which CoOp leaves out',
                             refetch))

    listed = meta.split_file is not None or meta.name == 'fgvc_aircraft'
    for key in keys:
        if meta.name == 'imagenet' and key == 'val':
            continue  # ImageNet's val split is its test split
        got, want = len(split[key]), counts.get(key)
        ok = want is None or got == want
        what = f'{key} images' + (' (= val)' if meta.name == 'imagenet' and key == 'test' else '')
        rows.append(CheckRow(what, OK if ok else WRONG, f'{got:,} (CoOp: {want:,})' if want
                             is not None else f'{got:,}', '' if ok else refetch))
        if not listed:
            continue  # read from the folders: every listed file exists
        absent = [osp.join(dataset.image_root, rel) for rel, _, _ in split[key]
                  if not osp.isfile(osp.join(dataset.image_root, rel))]
        if absent:
            rows.append(CheckRow(
                f'{key} image files', MISSING, f'{len(absent):,} of {got:,} listed images are '
                f'missing: {_examples(absent, examples)}', f'the split\'s paths are relative to '
                f'{dataset.image_root}: extract the images there ({meta.source})'))

    if masks:
        key = 'test' if meta.test_only else 'train'
        images = [osp.join(dataset.image_root, rel) for rel, _, _ in split[key]]
        absent = [dataset.mask_path_of(p) for p in images if dataset.find_mask(p) is None]
        detail = f'{len(images) - len(absent):,} of {len(images):,} {key} masks found in ' \
                 f'{dataset.mask_root}'
        if absent:
            rows.append(CheckRow(
                f'{key} masks', MISSING, f'{detail}; missing: {_examples(absent, examples)}',
                'a mask is <mask_root>/<image path relative to the dataset folder> (or its '
                f'.png), with mask_root = <dataset folder>/mask: put the mask bundle there '
                f'({FVGPT_MASK_BUNDLE}, its <dataset>/mask/ folders), or make masks with '
                "tools/prepare_foreground.py, or train with on_missing='invalid'"))
        else:
            rows.append(CheckRow(f'{key} masks', OK, detail))
    return rows


def format_report(name: str, data_root: str, rows: Sequence[CheckRow]) -> str:
    """Formats one dataset's report as a table, with the fix under each problem."""
    meta = get_coop_meta(name)
    head = f'== {meta.name} ({meta.fvgpt_class}) in {osp.join(data_root, meta.dataset_dir)}'
    width = max([len('check')] + [len(r.item) for r in rows])
    lines = [head, f'  {"check":<{width}}  {"status":<7}  detail']
    shown = set()
    for row in rows:
        lines.append(f'  {row.item:<{width}}  {row.status:<7}  {row.detail}')
        if row.is_problem:
            fix = 'as above' if row.fix in shown else row.fix
            shown.add(row.fix)
            for i, fix_line in enumerate(fix.splitlines() or ['']):
                lines.append(f'  {"":<{width}}  {"":<7}  {"fix: " if i == 0 else "     "}'
                             f'{fix_line}')
    return '\n'.join(lines)
