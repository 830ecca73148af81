"""Base / new / HM bars per dataset and method, from the protocol's B2N tables."""
from typing import Dict, Mapping, Optional

import numpy as np

from .figure_utils import pyplot, save_figure

METRICS = (('base', 'base'), ('new', 'new'), ('hm', 'HM'))


def b2n_bar_values(tables: Mapping[str, Mapping[str, dict]],
                   published: Optional[Mapping[str, Mapping[str, dict]]] = None) -> dict:
    """The numbers the bars show: ``{dataset: {series: {base, new, hm}}}``.

    A series is a method of ``tables``, or ``'<method> (published)'`` for a method and dataset
    that ``published`` (the same layout) has. Datasets in the order of first appearance,
    ``average`` last.
    """
    datasets = []
    for table in tables.values():
        datasets += [d for d in table if d not in datasets and d != 'average']
    if any('average' in t for t in tables.values()):
        datasets.append('average')
    values: Dict[str, dict] = {}
    for dataset in datasets:
        row = {}
        for method, table in tables.items():
            if dataset in table:
                row[method] = {k: table[dataset].get(k) for k, _ in METRICS}
            ref = (published or {}).get(method, {}).get(dataset)
            if ref is not None:
                row[f'{method} (published)'] = {k: ref.get(k) for k, _ in METRICS}
        values[dataset] = row
    return values


def plot_b2n(tables: Mapping[str, Mapping[str, dict]],
             out_file: str,
             published: Optional[Mapping[str, Mapping[str, dict]]] = None,
             title: Optional[str] = None) -> str:
    """One panel per dataset (and the average): base, new and HM bars, one per method.

    Args:
        tables (dict): ``{method: aggregate_b2n table}`` (the protocol's ``b2n_results.json``).
        out_file (str): the PNG to write.
        published (dict, optional): published numbers in the same layout, drawn hatched beside
            the method's own bars.
        title (str, optional): the figure's title.

    Returns:
        str: ``out_file``.
    """
    values = b2n_bar_values(tables, published)
    if not values:
        raise ValueError('The B2N tables hold no dataset: nothing to plot.')
    plt = pyplot()
    cols = min(4, len(values))
    rows = int(np.ceil(len(values) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    series = list(dict.fromkeys(s for row in values.values() for s in row))
    colors = {}
    for s in series:
        base = s.replace(' (published)', '')
        colors.setdefault(base, f'C{len(colors)}')
    width = 0.8 / max(len(series), 1)
    for ax, (dataset, row) in zip(axes.flat, values.items()):
        for i, s in enumerate(series):
            if s not in row:
                continue
            heights = [np.nan if row[s][k] is None else row[s][k] for k, _ in METRICS]
            xs = np.arange(len(METRICS)) + (i - (len(series) - 1) / 2) * width
            ax.bar(
                xs,
                heights,
                width,
                label=s,
                color=colors[s.replace(' (published)', '')],
                hatch='//' if s.endswith('(published)') else None,
                alpha=0.6 if s.endswith('(published)') else 1.0)
        ax.set_xticks(range(len(METRICS)), [label for _, label in METRICS])
        finite = [v[k] for v in row.values() for k, _ in METRICS if v[k] is not None]
        low = min(finite) if finite else 0
        ax.set_ylim(max(0, low - 10), 100)
        ax.set_title(dataset)
        ax.grid(axis='y', alpha=0.3)
    for ax in list(axes.flat)[len(values):]:
        ax.axis('off')
    legend = {}
    for ax in axes.flat:
        for handle, name in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(name, handle)
    handles, names = list(legend.values()), list(legend)
    fig.legend(
        handles,
        names,
        loc='upper center',
        ncol=min(len(series), 4),
        bbox_to_anchor=(0.5, 1.0 + 0.08 / rows),
        fontsize=9)
    if title:
        fig.suptitle(title, y=1.0 + 0.16 / rows)
    fig.tight_layout()
    return save_figure(fig, out_file)
