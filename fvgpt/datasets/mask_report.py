"""The masks of a dataset's data list: which file each sample reads, and the reports of the
missing and the unusable ones, given when the dataset is built (the dataset side of
:mod:`fvgpt.segmentation.mask_layout`)."""
import logging
from typing import List

from mmengine.logging import print_log

from fvgpt.segmentation.mask_layout import MaskLayout, find_mask_file
from .file_check import MASK_PROBLEMS, survey_masks


def attach_mask_paths(data_list: List[dict], layout: MaskLayout, on_missing: str) -> List[str]:
    """Adds ``mask_path`` and ``mask_on_missing`` to every item of ``data_list`` (in place).

    ``mask_path`` is the first existing candidate of the item's image
    (:meth:`MaskLayout.find`), else where its mask is expected first
    (:meth:`MaskLayout.expected_path`).

    Args:
        data_list (list[dict]): items with an absolute ``img_path``.
        layout (MaskLayout): where the dataset's masks live.
        on_missing (str): ``LoadForegroundMask``'s policy for a missing file, stored per item.

    Returns:
        list[str]: the ``mask_path`` of every item whose mask was not found, in item order.
    """
    missing = []
    for info in data_list:
        found = layout.find(info['img_path'])
        info['mask_path'] = found or layout.expected_path(info['img_path'])
        info['mask_on_missing'] = on_missing
        if found is None:
            missing.append(info['mask_path'])
    return missing


def report_missing_masks(where: str, missing: List[str], total: int, mask_root: str,
                         on_missing: str) -> None:
    """Stops (``on_missing='error'``) or warns (``'invalid'``) when masks are missing.

    Args:
        where (str): the dataset, split and subsample, e.g. ``'oxford_pets (train, base)'``.
        missing (list[str]): the expected paths of the missing masks.
        total (int): the number of samples.
        mask_root (str): the folder searched.
        on_missing (str): ``'error'`` or ``'invalid'``.

    Raises:
        FileNotFoundError: with ``on_missing='error'`` when a mask is missing, naming up to five
            of them, the layout and the fixes.
    """
    if not missing:
        return
    examples = '\n'.join(f'    {p}' for p in missing[:5])
    msg = (f'{where}: {len(missing)} of {total} foreground masks are missing under '
           f'mask_root={mask_root}, e.g.\n{examples}\n')
    if on_missing == 'error':
        raise FileNotFoundError(
            msg + '  A mask is <mask_root>/<image path relative to the dataset folder> (or '
            'its .png or .jpg, or <mask_root>/<image path relative to the image folder>). '
            'Get the authors\' mask bundle (docs/datasets.md, "Foreground '
            'masks") or make masks with the mask preparation tool, point mask_root at '
            "them, or build the dataset with on_missing='invalid' to mark those samples' "
            'masks invalid.')
    print_log(
        msg + '  on_missing="invalid": their masks are all zeros with '
        'fg_mask_valid=False.',
        logger='current',
        level=logging.WARNING)


def report_unusable_masks(where: str, data_list: List[dict], mask_root: str,
                          check_command: str) -> None:
    """Warns with the count of each kind of unusable mask (:data:`MASK_PROBLEMS`); stops when
    none is usable.

    Every existing mask is decoded as ``LoadForegroundMask`` decodes it
    (:func:`fvgpt.datasets.file_check.survey_masks`); the missing ones count too, as reported by
    :func:`report_missing_masks`.

    Args:
        where (str): the dataset, split and subsample, e.g. ``'oxford_pets (train, base)'``.
        data_list (list[dict]): items with ``img_path`` and ``mask_path``.
        mask_root (str): the folder searched.
        check_command (str): the ``tools/check_data.py`` command that lists every bad file.

    Raises:
        ValueError: no sample has a usable mask.
    """
    pairs = [(info['mask_path'], info['img_path']) for info in data_list
             if find_mask_file(info['mask_path']) is not None]
    counts, examples = survey_masks(pairs)
    counts['missing'] = len(data_list) - len(pairs)
    bad = sum(counts.values())
    if not bad:
        return
    lines = [
        f'    {kind}: {counts[kind]}' +
        (f', e.g. {examples[kind][0]}' if examples.get(kind) else '') for kind in MASK_PROBLEMS
        if counts[kind]
    ]
    msg = (f'{where}: {bad} of {len(data_list)} foreground masks are unusable '
           f'(mask_root={mask_root}):\n' + '\n'.join(lines) +
           '\n  (empty: no foreground; full: all foreground; wrong '
           f'size: another aspect ratio than its image. To list them all: {check_command})')
    if bad == len(data_list):
        raise ValueError(msg + '\n  No mask is usable: every foreground view would be '
                         'marked unreliable. Make the masks again (tools/prepare_foreground.py)'
                         ' or point mask_root at the right folder.')
    print_log(
        msg + '\n  Their foreground views count as unreliable (the gates learn '
        'from them as such).',
        logger='current',
        level=logging.WARNING)


def attach_masks(data_list: List[dict], layout: MaskLayout, on_missing: str, where: str,
                 check_command: str) -> None:
    """:func:`attach_mask_paths`, then :func:`report_missing_masks` and
    :func:`report_unusable_masks`: what a dataset built with ``with_mask=True`` does to its
    data list.

    Args:
        data_list (list[dict]): items with an absolute ``img_path``; changed in place.
        layout (MaskLayout): where the dataset's masks live.
        on_missing (str): ``'error'`` or ``'invalid'``.
        where (str): the dataset, split and subsample, e.g. ``'oxford_pets (train, base)'``.
        check_command (str): the ``tools/check_data.py`` command that lists every bad file.
    """
    missing = attach_mask_paths(data_list, layout, on_missing)
    report_missing_masks(where, missing, len(data_list), layout.mask_root, on_missing)
    report_unusable_masks(where, data_list, layout.mask_root, check_command)
