"""Base-to-new aggregation, as the CoOp family reports it.

Per dataset: top-1 accuracy of each seed on base and on new classes, mean (and population std,
as CoOp's ``parse_test_res.py``) over seeds, then HM = 2BN / (B + N) of the two means. Over
datasets: the mean of the per-dataset base means and of the new means, and the HM of those two
averages (not the mean of the per-dataset HMs).
"""
from collections import OrderedDict
from typing import Dict, Iterable, List, Mapping, Optional

import numpy as np


def harmonic_mean(base: float, new: float) -> float:
    """HM = 2BN / (B + N); 0 when both are 0."""
    return 0.0 if base + new == 0 else 2 * base * new / (base + new)


def aggregate_b2n(records: Iterable[Mapping]) -> Dict[str, dict]:
    """Aggregates per-seed results into the B2N table.

    Args:
        records: one mapping per (dataset, seed) with keys ``dataset``, ``seed``, ``base`` and
            ``new`` (top-1 accuracy in %). A record may miss ``base`` or ``new`` (not run yet).

    Returns:
        dict: ``{dataset: row, ..., 'average': row}`` in first-appearance order, where a row has
        ``base``, ``new``, ``hm``, ``base_std``, ``new_std``, ``seeds`` (list) and ``complete``
        (every seed has both). Means use the seeds that have the value; ``average`` uses the
        datasets that have both means, listed in its ``datasets`` key.

    Raises:
        ValueError: if a (dataset, seed) pair appears twice.
    """
    per_dataset: Dict[str, Dict[int, Mapping]] = OrderedDict()
    for rec in records:
        seeds = per_dataset.setdefault(str(rec['dataset']), OrderedDict())
        if rec['seed'] in seeds:
            raise ValueError(f'Duplicate result for dataset {rec["dataset"]}, seed {rec["seed"]}.')
        seeds[rec['seed']] = rec
    table: Dict[str, dict] = OrderedDict()
    for name, seeds in per_dataset.items():
        row = dict(seeds=list(seeds))
        for split in ('base', 'new'):
            values = [float(r[split]) for r in seeds.values() if r.get(split) is not None]
            row[split] = float(np.mean(values)) if values else None
            row[f'{split}_std'] = float(np.std(values)) if values else None
        row['hm'] = (
            harmonic_mean(row['base'], row['new'])
            if row['base'] is not None and row['new'] is not None else None)
        row['complete'] = all(
            r.get('base') is not None and r.get('new') is not None for r in seeds.values())
        table[name] = row
    done = [n for n, r in table.items() if r['hm'] is not None]
    if done:
        base = float(np.mean([table[n]['base'] for n in done]))
        new = float(np.mean([table[n]['new'] for n in done]))
        table['average'] = dict(base=base, new=new, hm=harmonic_mean(base, new), datasets=done)
    return table


def format_b2n_table(table: Mapping[str, dict],
                     title: Optional[str] = None,
                     paper: Optional[Mapping[str, dict]] = None) -> str:
    """A plain-text table of :func:`aggregate_b2n`'s output (mean ± std over seeds).

    Args:
        table: :func:`aggregate_b2n`'s output.
        title (str, optional): a first line.
        paper (mapping, optional): published rows ``{dataset or 'average': {'base', 'new',
            'hm', 'source'}}`` (:func:`fvgpt.evaluation.published.load_published_b2n`); when
            given, a "paper" column shows them beside this run's, and their sources follow.

    Returns:
        str: the table.
    """

    def cell(row: Mapping, key: str) -> str:
        value = row.get(key)
        if value is None:
            return '-'
        std = row.get(f'{key}_std')
        return f'{value:.2f}' + (f' ± {std:.2f}'
                                 if std is not None and len(row.get('seeds', [])) > 1 else '')

    def paper_cell(name: str) -> str:
        row = paper.get(name)
        return '-' if row is None else f'{row["base"]:.2f} / {row["new"]:.2f} / {row["hm"]:.2f}'

    lines: List[str] = []
    if title:
        lines.append(title)
    header = f'{"dataset":<24}{"base":>16}{"new":>16}{"HM":>10}'
    if paper is not None:
        header += f'{"paper base / new / HM":>26}'
    header += '  seeds'
    lines += [header, '-' * len(header)]
    for name, row in table.items():
        seeds = ','.join(str(s) for s in row.get('seeds', [])) if name != 'average' else \
            f'{len(row["datasets"])} datasets'
        hm = '-' if row.get('hm') is None else f'{row["hm"]:.2f}'
        line = f'{name:<24}{cell(row, "base"):>16}{cell(row, "new"):>16}{hm:>10}'
        if paper is not None:
            line += f'{paper_cell(name):>26}'
        lines.append(line + f'  {seeds}')
    if paper:
        sources = sorted({row['source'] for name, row in paper.items() if name in table})
        lines += [f'paper: {source}' for source in sources]
    return '\n'.join(lines)


def format_b2n_tables(tables: Mapping[str, Mapping[str, dict]],
                      papers: Optional[Mapping[str, Mapping[str, dict]]] = None) -> str:
    """One :func:`format_b2n_table` per method (``{method: table}``), titled ``## <method>``;
    ``papers`` (``{method: published rows}``) adds the published numbers of those methods."""
    papers = papers or {}
    return '\n\n'.join(
        format_b2n_table(table, title=f'## {name}', paper=papers.get(name))
        for name, table in tables.items())
