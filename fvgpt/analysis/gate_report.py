"""FVG-PT's gates per image: what the Foreground Reliability Gate decides, what it was trained
towards, what the Backbone Reliability Gate gives, and which view predicts the label.

The images come from :func:`~fvgpt.analysis.analysis_data.foreground_view_dataset_cfg` (the
foreground view made as in training, deterministically). Every quantity is the model's own:
the frozen logits of :meth:`FVGPT.frozen_outputs` (what its loss reads), the FRG of its base
head with its area rule, the target ``r*`` of its gate supervision loss, ``z_fdc`` and
``z_pc`` (with ``b``) of :meth:`FVGPT.branch_outputs` (what it predicts with at test time), the
distillation's KL at its temperature. A reference mask folder (or the toy world's exact masks)
adds each training mask's IoU, bucketed as condition 5 of the toy world buckets them.
"""
import math
from typing import Callable, Dict, List, Optional

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from fvgpt.datasets.transforms.mask_utils import resize_mask
from fvgpt.models.fvgpt.functional import foreground_area, kl_div_t
from fvgpt.models.fvgpt.fvgpt import FVGPT
from fvgpt.segmentation.mask_io import read_binary_mask
from fvgpt.segmentation.mask_layout import find_mask_file
from fvgpt.toyworld.conditions import RIGHT_IOU, WRONG_IOU, mask_iou
from .analysis_data import batches

#: The views whose top-1 prediction each row records: backbone on x, backbone on x_fg, the base
#: branch (FDC) and the new branch (prior calibration) on the base classes.
VIEWS = ('full', 'fg', 'fdc', 'pc')
#: Row groups of the summary, in order.
BUCKETS = ('all', 'right', 'middling', 'wrong', 'no mask')


def iou_bucket(iou: Optional[float], valid: bool = True) -> Optional[str]:
    """``'right'`` (IoU >= 0.75), ``'middling'``, ``'wrong'`` (< 0.5), ``'no mask'`` (the
    training mask is missing), or None (no reference to score against)."""
    if not valid:
        return 'no mask'
    if iou is None:
        return None
    return 'right' if iou >= RIGHT_IOU else 'wrong' if iou < WRONG_IOU else 'middling'


@torch.no_grad()
def gate_batch(model: FVGPT, data: dict) -> Dict[str, torch.Tensor]:
    """The per-image gate quantities of one collated batch with foreground views.

    Args:
        model (FVGPT): the model, in eval mode, with the base classes as its class list.
        data (dict): a collated batch of :func:`foreground_view_dataset_cfg`'s dataset.

    Returns:
        dict: ``(B,)`` tensors ``label``, ``area``, ``fg_valid``, ``fg_reliable``, ``r``,
        ``r_target``, ``b``, ``ce_full``, ``ce_fg``, ``kl_fg`` and ``kl_full`` (the
        distillation's KL of each teacher to ``z_fdc``, without its weights) and ``pred_<view>``
        for each of :data:`VIEWS`.
    """
    out = model.data_preprocessor(data, False)
    if 'fg_inputs' not in out or 'fg_masks' not in out:
        raise ValueError('The batch has no foreground views: build the dataset with '
                         'foreground_view_dataset_cfg (its pipeline packs img_fg, gt_fg_mask and '
                         'fg_mask_valid).')
    inputs, samples = out['inputs'], out['data_samples']
    labels = torch.cat([s.gt_label.view(-1) for s in samples]).to(inputs.device)
    frozen = model.frozen_outputs(inputs, out['fg_inputs'], samples)
    z_full, z_fg = frozen['z_full'], frozen['z_fg']
    head = model.base_head
    area = foreground_area(out['fg_masks'])
    gate = head.gate(z_full, z_fg, area, out['fg_valid'])
    _, target = head.loss_gate(gate.logit, z_full, z_fg, labels, gate.reliable)
    z_fdc = model.branch_outputs(inputs, 'base', samples)['logits']
    new = model.branch_outputs(inputs, 'new', samples)
    tau = head.loss_dist.tau
    stats = dict(
        label=labels,
        area=area,
        fg_valid=out['fg_valid'].bool(),
        fg_reliable=gate.reliable,
        r=gate.r,
        r_target=target,
        b=new['gate_b'],
        ce_full=F.cross_entropy(z_full, labels, reduction='none'),
        ce_fg=F.cross_entropy(z_fg, labels, reduction='none'),
        kl_fg=kl_div_t(z_fg, z_fdc, tau),
        kl_full=kl_div_t(z_full, z_fdc, tau))
    for view, logits in zip(VIEWS, (z_full, z_fg, z_fdc, new['logits'])):
        stats[f'pred_{view}'] = logits.argmax(dim=-1)
    return stats


def gate_rows(model: FVGPT,
              dataset,
              reference: Optional[Callable[[str], np.ndarray]] = None,
              batch_size: int = 32,
              progress: bool = True) -> List[dict]:
    """One row per image of ``dataset`` (see :func:`gate_batch`), with the mask IoU.

    Args:
        model (FVGPT): the model, in eval mode.
        dataset: built from :func:`foreground_view_dataset_cfg`, base classes.
        reference (Callable, optional): image path -> reference mask (e.g. the generator's
            exact one); each training mask file is scored against it (at the reference's size,
            nearest-neighbour) with :func:`fvgpt.toyworld.mask_iou`.
        batch_size (int): images per forward pass. Defaults to 32.
        progress (bool): show a tqdm bar. Defaults to True.

    Returns:
        list[dict]: ``path``, ``label``, ``class``, the numbers of :func:`gate_batch` as Python
        values, ``correct_<view>``, ``mask_iou`` (None without reference or training mask)
        and ``bucket`` (:func:`iou_bucket`).
    """
    if not isinstance(model, FVGPT):
        raise TypeError(f'The gate report reads FVG-PT\'s gates: the config\'s model must be '
                        f'FVGPT, got {type(model).__name__}.')
    classes = list(dataset.metainfo['classes'])
    if model.base_classnames is not None and classes != list(model.base_classnames):
        raise ValueError(f'The dataset\'s classes ({len(classes)}: {classes[:3]}...) are not the '
                         f'base classes the model was trained on ({model.base_classnames[:3]}...):'
                         ' the gate report reads the base branch on its own classes.')
    rows = []
    bar = tqdm(total=len(dataset), desc='gates', disable=not progress, unit='img')
    for data in batches(dataset, batch_size):
        infos = [dataset.get_data_info(int(s.sample_idx)) for s in data['data_samples']]
        stats = {k: v.tolist() for k, v in gate_batch(model, data).items()}
        for i, info in enumerate(infos):
            row = dict(path=info['img_path'], **{k: v[i] for k, v in stats.items()})
            row['class'] = classes[row['label']]
            for view in VIEWS:
                row[f'correct_{view}'] = row[f'pred_{view}'] == row['label']
            row['mask_iou'] = None
            if reference is not None and row['fg_valid']:
                row['mask_iou'] = training_mask_iou(info['mask_path'], reference(info['img_path']))
            row['bucket'] = iou_bucket(row['mask_iou'], row['fg_valid'])
            rows.append(row)
        bar.update(len(infos))
    bar.close()
    return rows


def training_mask_iou(mask_path: str, reference: np.ndarray) -> float:
    """IoU of the training mask file named ``mask_path`` with ``reference``."""
    path = find_mask_file(mask_path)
    mask = read_binary_mask(path) if path else None
    if mask is None:
        raise FileNotFoundError(f'The training mask {mask_path} cannot be read (nor the .png or '
                                '.jpg of its stem), though the dataset found it.')
    return mask_iou(resize_mask(mask, reference.shape[::-1]), reference)


def summarize_gate_rows(rows: List[dict]) -> Dict[str, dict]:
    """The statistics of every row group of :data:`BUCKETS` that has rows.

    Per group: ``images``; ``fg_reliable`` (share); ``r_mean`` and ``r_std`` (over every row,
    ``r = 0`` where the area rule applies, as the loss logs ``gate_r``); ``r_target`` (share of
    ``r* = 1``); ``gate_agrees`` (share of rows with a reliable mask where ``r >= 0.5`` iff
    ``r* = 1``; None without one); ``gate_auc`` (on those rows, the chance that ``r`` ranks a
    row with ``r* = 1`` above one with ``r* = 0``: 0.5 when ``r`` does not separate them);
    ``b_mean``; ``student_follows_fg`` (share where ``z_fdc`` is
    closer, in KL, to the foreground teacher than to the full one); ``acc_<view>`` (top-1 %).
    """
    groups = {name: [] for name in BUCKETS}
    for row in rows:
        groups['all'].append(row)
        if row['bucket'] is not None:
            groups[row['bucket']].append(row)
    return {name: _group_stats(members) for name, members in groups.items() if members}


def _group_stats(rows: List[dict]) -> dict:
    r = np.array([row['r'] for row in rows], dtype=np.float64)
    reliable = [row for row in rows if row['fg_reliable']]
    stats = dict(
        images=len(rows),
        fg_reliable=_mean([row['fg_reliable'] for row in rows]),
        r_mean=float(r.mean()),
        r_std=float(r.std()),
        r_target=_mean([row['r_target'] for row in rows]),
        gate_agrees=_mean([(row['r'] >= 0.5) == (row['r_target'] == 1) for row in reliable]),
        gate_auc=_ranking_auc([row['r'] for row in reliable if row['r_target'] == 1],
                              [row['r'] for row in reliable if row['r_target'] != 1]),
        b_mean=_mean([row['b'] for row in rows]),
        student_follows_fg=_mean([row['kl_fg'] < row['kl_full'] for row in rows]))
    for view in VIEWS:
        stats[f'acc_{view}'] = 100.0 * _mean([row[f'correct_{view}'] for row in rows])
    return stats


def _ranking_auc(positives: List[float], negatives: List[float]) -> Optional[float]:
    """The chance that a random positive scores above a random negative (ties count half):
    0.5 for a gate that does not tell ``r* = 1`` from ``r* = 0``. None without both."""
    if not positives or not negatives:
        return None
    pos, neg = np.asarray(positives)[:, None], np.asarray(negatives)[None, :]
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean())


def _mean(values) -> Optional[float]:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else None


BUCKET_TITLES = {
    'all': 'all',
    'right': f'right (IoU >= {RIGHT_IOU:g})',
    'middling': 'middling',
    'wrong': f'wrong (IoU < {WRONG_IOU:g})',
    'no mask': 'no mask file'
}


def format_gate_summary(summary: Dict[str, dict]) -> str:
    """The summary as a table: one line per row group."""
    head = (f'{"images":<22}{"n":>5}{"reliable":>9}{"r mean±std":>13}{"r*=1":>7}{"agree":>7}'
            f'{"auc":>6}{"b mean":>8}{"->fg":>7}' + ''.join(f'{"acc " + v:>9}' for v in VIEWS))
    lines = [head, '-' * len(head)]
    for name, s in summary.items():
        accuracies = ''.join(f'{s["acc_" + v]:>9.2f}' for v in VIEWS)
        lines.append(f'{BUCKET_TITLES[name]:<22}{s["images"]:>5}{_pct(s["fg_reliable"]):>9}'
                     f'{s["r_mean"]:>7.3f}±{s["r_std"]:<5.3f}{_pct(s["r_target"]):>7}'
                     f'{_pct(s["gate_agrees"]):>7}{_num(s["gate_auc"]):>6}{s["b_mean"]:>8.3f}'
                     f'{_pct(s["student_follows_fg"]):>7}{accuracies}')
    return '\n'.join(lines)


def _num(value: Optional[float]) -> str:
    return 'n/a' if value is None else f'{value:.2f}'


def _pct(share: Optional[float]) -> str:
    return 'n/a' if share is None or math.isnan(share) else f'{100 * share:.0f}%'
