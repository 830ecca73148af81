"""Tables of the transfer protocols: domain generalization, cross-dataset, few-shot.

- Domain generalization (CoCoOp's Table 3): one model trained on ImageNet (all classes, 16 shots),
  top-1 on ImageNet and on each of -V2, -Sketch, -A, -R; "average" is the mean over the targets.
- Cross-dataset transfer (CoCoOp's Table 2): the same columns for ImageNet -> the other 10
  datasets; "average" is the mean over the 10 targets.
- Few-shot (CoOp's Figure 3 / the tables that print it): all classes, top-1 per dataset and
  number of shots, and the average over datasets per number of shots.
Each cell is the mean over seeds.
"""
from collections import OrderedDict
from typing import Dict, Iterable, List, Mapping, Optional, Sequence

import numpy as np


def _mean(values: List[float]) -> Optional[float]:
    return float(np.mean(values)) if values else None


def aggregate_transfer(records: Iterable[Mapping], source: str,
                       targets: Sequence[str]) -> Dict[str, object]:
    """Means over seeds of one method's transfer results.

    Args:
        records: one mapping per seed: ``seed`` and the accuracy (%) on each dataset scored
            so far, keyed by the dataset's name.
        source (str): the training dataset.
        targets (sequence of str): the datasets transferred to, in the table's order.

    Returns:
        dict: ``{dataset: mean accuracy or None}`` for the source and each target,
        ``'average'``: mean over the targets (None until every target has a result), and
        ``'seeds'``: the seeds.
    """
    records = list(records)
    row: Dict[str, object] = OrderedDict()
    for name in [source, *targets]:
        row[name] = _mean([float(r[name]) for r in records if r.get(name) is not None])
    done = [row[t] for t in targets]
    row['average'] = None if any(v is None for v in done) else float(np.mean(done))
    row['seeds'] = [r['seed'] for r in records]
    return row


def aggregate_few_shot(records: Iterable[Mapping]) -> Dict[str, Dict[int, float]]:
    """Means over seeds of one method's few-shot results.

    Args:
        records: one mapping per (dataset, shots, seed) with ``dataset``, ``shots``, ``seed``
            and ``accuracy`` (% top-1 on all classes; None when not run yet).

    Returns:
        dict: ``{dataset: {shots: mean accuracy}}`` in first-appearance order, plus
        ``'average'``: ``{shots: mean over the datasets that have that number of shots}``.
    """
    values: Dict[str, Dict[int, List[float]]] = OrderedDict()
    for rec in records:
        per_shots = values.setdefault(str(rec['dataset']), OrderedDict())
        bucket = per_shots.setdefault(int(rec['shots']), [])
        if rec.get('accuracy') is not None:
            bucket.append(float(rec['accuracy']))
    table: Dict[str, Dict[int, Optional[float]]] = OrderedDict(
        (name, OrderedDict((k, _mean(v)) for k, v in per_shots.items()))
        for name, per_shots in values.items())
    shots = sorted({k for row in table.values() for k in row})
    table['average'] = OrderedDict(
        (k, _mean([row[k] for row in list(table.values()) if row.get(k) is not None]))
        for k in shots)
    return table


def _cell(value: Optional[float], paper: Optional[float] = None) -> str:
    text = '-' if value is None else f'{value:.2f}'
    return text if paper is None else f'{text} ({paper:.2f})'


def format_transfer_table(rows: Mapping[str, Mapping],
                          source: str,
                          targets: Sequence[str],
                          title: Optional[str] = None,
                          papers: Optional[Mapping[str, Mapping[str, float]]] = None) -> str:
    """One line per method: source, each target, average of the targets.

    Args:
        rows: ``{method: aggregate_transfer(...) row}``.
        source, targets: the columns.
        title (str, optional): a first line.
        papers (mapping, optional): ``{method: {column: published accuracy}}``; a cell with a
            published number shows it in brackets after this run's.

    Returns:
        str: the table.
    """
    columns = [source, *targets, 'average']
    width = max(12, *(len(c) + 2 for c in columns))
    lines = [title] if title else []
    header = f'{"method":<16}' + ''.join(f'{c:>{width}}' for c in columns)
    lines += [header, '-' * len(header)]
    for method, row in rows.items():
        paper = (papers or {}).get(method, {})
        lines.append(f'{method:<16}' + ''.join(f'{_cell(row.get(c), paper.get(c)):>{width}}'
                                               for c in columns))
    if papers:
        lines.append('(in brackets: the published number)')
    return '\n'.join(lines)


def format_few_shot_table(table: Mapping[str, Mapping[int, Optional[float]]],
                          title: Optional[str] = None) -> str:
    """Datasets down, numbers of shots across, for one method."""
    shots = list(table.get('average', {}))
    lines = [title] if title else []
    header = f'{"dataset":<20}' + ''.join(f'{str(k) + "-shot":>10}' for k in shots)
    lines += [header, '-' * len(header)]
    for name, row in table.items():
        lines.append(f'{name:<20}' + ''.join(f'{_cell(row.get(k)):>10}' for k in shots))
    return '\n'.join(lines)
