"""Checks a CoOp ``$DATA`` tree without loading it: what is there, what is missing, and the fix.

Used by ``tools/check_data.py``. The layout knowledge stays in the dataset classes
(:meth:`B2NDataset.required_paths`, :meth:`B2NDataset.read_split`, :meth:`B2NDataset.find_mask`)
and in :mod:`fvgpt.datasets.coop_meta`; this module only walks it and reports.
"""
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from fvgpt.registry import DATASETS
from fvgpt.segmentation.mask_layout import find_mask_file
from .b2n_dataset import B2NDataset
from .coop_meta import COOP_DATASETS_MD, FVGPT_MASK_BUNDLE, HF_MIRROR, get_coop_meta
from .file_check import MASK_PROBLEMS, mask_problem, unreadable_reason

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


def unreadable_row(what: str, paths: Sequence[str], examples: int, fix: str) -> Optional[CheckRow]:
    """Decodes every file of ``paths`` completely; a ``WRONG`` row naming the unreadable ones
    (0-byte, truncated, damaged), None when all read. Missing files are left to other rows."""
    bad = []
    for path in paths:
        reason = unreadable_reason(path) if osp.isfile(path) else None
        if reason:
            bad.append(f'{path} ({reason.split(" (")[0]})')
    if not bad:
        return None
    return CheckRow(
        f'{what} unreadable', WRONG, f'{len(bad):,} of {len(paths):,} cannot be '
        f'decoded: {_examples(bad, examples)}', fix)


def mask_rows(key: str,
              pairs: Sequence[tuple],
              mask_root: str,
              examples: int,
              read: bool = True) -> List[CheckRow]:
    """Rows on the masks of ``(mask_path, img_path)`` pairs: how many are found, and with
    ``read``, each kind of unusable mask (unreadable, wrong aspect ratio, empty, full)."""
    kinds: Dict[str, List[str]] = {}
    for mask_path, img_path in pairs:
        if read:
            kind = mask_problem(mask_path, img_path)
        else:
            kind = 'missing' if find_mask_file(mask_path) is None else None
        if kind:
            kinds.setdefault(kind, []).append(find_mask_file(mask_path) or mask_path)
    found = len(pairs) - len(kinds.get('missing', []))
    detail = f'{found:,} of {len(pairs):,} {key} masks found in {mask_root}'
    if not kinds:
        return [
            CheckRow(f'{key} masks', OK, detail + (', all readable and usable' if read else ''))
        ]
    rows = []
    if kinds.get('missing'):
        rows.append(
            CheckRow(
                f'{key} masks', MISSING,
                f'{detail}; missing: {_examples(kinds["missing"], examples)}',
                'a mask is <mask_root>/<image path relative to the dataset folder> (or its '
                f'.png or .jpg), with mask_root = <dataset folder>/mask: put the mask bundle there '
                f'({FVGPT_MASK_BUNDLE}, its <dataset>/mask/ folders), or make masks with '
                "tools/prepare_foreground.py, or train with on_missing='invalid'"))
    else:
        rows.append(CheckRow(f'{key} masks', OK, detail))
    for kind in MASK_PROBLEMS[1:]:
        if kinds.get(kind):
            rows.append(
                CheckRow(
                    f'{key} masks {kind}', WRONG, f'{len(kinds[kind]):,} of {len(pairs):,}: '
                    f'{_examples(kinds[kind], examples)}',
                    'make these masks again (tools/prepare_foreground.py) or get them again from '
                    'the mask bundle; training counts their foreground views as unreliable'))
    return rows


def check_dataset(name: str,
                  data_root: str,
                  masks: bool = False,
                  expected_counts: Optional[Dict[str, int]] = None,
                  expected_classes: Optional[int] = None,
                  examples: int = 3,
                  read: bool = True) -> List[CheckRow]:
    """Checks one CoOp dataset under ``data_root``.

    Args:
        name (str): the dataset (CoOp config name, CoOp or fvgpt class name).
        data_root (str): CoOp's ``$DATA``.
        masks (bool): also check the foreground mask of every train image (every test image
            for the test-only datasets). Defaults to False.
        expected_counts (dict, optional): images per split to expect. Defaults to CoOp's.
        expected_classes (int, optional): classes to expect. Defaults to CoOp's.
        examples (int): how many missing paths to name. Defaults to 3.
        read (bool): decode every image (and mask) completely, to find 0-byte, truncated and
            damaged files. Defaults to True.

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
    rows.append(
        CheckRow('classes', OK if ok else WRONG, f'{len(names)} (CoOp: {num_classes})',
                 '' if ok else refetch))
    ignored = sorted(set(names) & set(meta.ignored_classes))
    if ignored:
        rows.append(
            CheckRow('class names', WRONG, f'holds {ignored}, which CoOp leaves out', refetch))

    listed = meta.split_file is not None or meta.name == 'fgvc_aircraft'
    for key in keys:
        if meta.name == 'imagenet' and key == 'val':
            continue  # ImageNet's val split is its test split
        got, want = len(split[key]), counts.get(key)
        ok = want is None or got == want
        what = f'{key} images' + (' (= val)' if meta.name == 'imagenet' and key == 'test' else '')
        rows.append(
            CheckRow(what, OK if ok else WRONG,
                     f'{got:,} (CoOp: {want:,})' if want is not None else f'{got:,}',
                     '' if ok else refetch))
        paths = [osp.join(dataset.image_root, rel) for rel, _, _ in split[key]]
        if listed:  # (read from the folders, every listed file exists)
            absent = [p for p in paths if not osp.isfile(p)]
            if absent:
                rows.append(
                    CheckRow(
                        f'{key} image files', MISSING, f'{len(absent):,} of {got:,} listed images '
                        f'are missing: {_examples(absent, examples)}', f'the split\'s paths are '
                        f'relative to {dataset.image_root}: extract the images there '
                        f'({meta.source})'))
        row = unreadable_row(f'{key} images', paths, examples,
                             f'extract these images again ({meta.source})') if read else None
        if row:
            rows.append(row)

    if masks:
        key = 'test' if meta.test_only else 'train'
        images = [osp.join(dataset.image_root, rel) for rel, _, _ in split[key]]
        pairs = [(dataset.find_mask(p) or dataset.mask_path_of(p), p) for p in images]
        rows += mask_rows(key, pairs, dataset.mask_root, examples, read)
    return rows


def check_config_datasets(cfg,
                          masks: bool = False,
                          examples: int = 3,
                          read: bool = True) -> List[Tuple[str, List[CheckRow]]]:
    """Checks the datasets of a config's train, val and test dataloaders (any fvgpt dataset,
    e.g. the toy world's ``CoOpSplitDataset``): every image (and, with ``masks`` or a dataset
    built ``with_mask``, every mask) is found and decoded completely.

    Args:
        cfg (mmengine.Config): the config.
        masks (bool): check masks also for datasets built without them. Defaults to False.
        examples (int): how many paths to name per problem. Defaults to 3.
        read (bool): decode every file completely. Defaults to True.

    Returns:
        list[tuple[str, list[CheckRow]]]: a title and the rows of each dataloader's dataset.
    """
    reports = []
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if not loader or not isinstance(loader.get('dataset'), dict):
            continue
        ds_cfg = dict(loader['dataset'], lazy_init=True, pipeline=[])
        title = f'{key}.dataset ({ds_cfg.get("type")}, split={ds_cfg.get("split")})'
        try:
            dataset = DATASETS.build(ds_cfg)
            dataset.full_init()
        except (ValueError, FileNotFoundError, OSError, KeyError) as e:
            detail, _, rest = str(e).partition('\n')
            reports.append(
                (title,
                 [CheckRow('dataset', WRONG, detail,
                           rest.strip() or 'see docs/datasets.md')]))
            continue
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        paths = [info['img_path'] for info in infos]
        absent = [p for p in paths if not osp.isfile(p)]
        rows = [
            CheckRow(
                'images', MISSING if absent else OK, f'{len(paths) - len(absent):,} of '
                f'{len(paths):,} found' +
                (f'; missing: {_examples(absent, examples)}' if absent else ''),
                'put the images where the split file says' if absent else '')
        ]
        row = unreadable_row('images', paths, examples, 'replace these images') if read \
            else None
        if row:
            rows.append(row)
        if masks or getattr(dataset, 'with_mask', False):
            pairs = [(info.get('mask_path')
                      or dataset.mask_path_of(info['img_path']), info['img_path'])
                     for info in infos]
            rows += mask_rows(
                str(getattr(dataset, 'split', '') or 'all'), pairs, dataset.mask_root, examples,
                read)
        reports.append((title, rows))
    return reports


def format_report(name: str, data_root: str, rows: Sequence[CheckRow]) -> str:
    """Formats one dataset's report as a table, with the fix under each problem."""
    meta = get_coop_meta(name)
    return format_rows(
        f'== {meta.name} ({meta.fvgpt_class}) in {osp.join(data_root, meta.dataset_dir)}', rows)


def format_rows(head: str, rows: Sequence[CheckRow]) -> str:
    """A title line, then the rows as a table with the fix under each problem."""
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
