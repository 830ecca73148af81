"""The paper's Fig. 4b layout: base, new and HM against a swept config value."""
from typing import Dict, Optional, Sequence

from .figure_utils import pyplot, save_figure


def plot_sweep(key: str,
               points: Dict[str, Sequence[dict]],
               out_file: str,
               title: Optional[str] = None) -> str:
    """One panel per swept method: base, new and HM (averaged over datasets) per value.

    Args:
        key (str): the swept config key (the x axis).
        points (dict): method -> points ``dict(value, base, new, hm)`` in sweep order.
        out_file (str): the PNG to write.
        title (str, optional): the figure's title.
    """
    plt = pyplot()
    fig, axes = plt.subplots(1, len(points), figsize=(5 * len(points), 3.8), squeeze=False)
    for ax, (method, rows) in zip(axes[0], points.items()):
        numeric = all(
            isinstance(r['value'], (int, float)) and not isinstance(r['value'], bool) for r in rows)
        xs = [r['value'] for r in rows] if numeric else list(range(len(rows)))
        for metric, style in (('base', 's-'), ('new', '^-'), ('hm', 'o-')):
            ax.plot(
                xs, [_nan(r.get(metric)) for r in rows],
                style,
                label='HM' if metric == 'hm' else metric)
        if not numeric:
            ax.set_xticks(xs, [str(r['value']) for r in rows])
        ax.set(xlabel=key, ylabel='accuracy (%)', title=method)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return save_figure(fig, out_file)


def _nan(value: Optional[float]) -> float:
    return float('nan') if value is None else value
