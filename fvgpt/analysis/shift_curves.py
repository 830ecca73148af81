"""The paper's Fig. 5 layout: foreground shift index and base accuracy over tuning epochs."""
from typing import Dict, Optional, Sequence

from .figure_utils import pyplot, save_figure


def plot_shift_curves(runs: Dict[str, Sequence[dict]],
                      out_file: str,
                      zero_shot: Optional[dict] = None,
                      title: Optional[str] = None) -> str:
    """Two panels over epochs: the shift index and the accuracy, one line per run.

    Args:
        runs (dict): run name -> points ``dict(epoch, shift_index, accuracy)``.
        out_file (str): the PNG to write.
        zero_shot (dict, optional): zero-shot CLIP's ``shift_index`` and ``accuracy``, drawn as
            horizontal lines.
        title (str, optional): the figure's title.
    """
    plt = pyplot()
    fig, (ax_shift, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, points in runs.items():
        points = sorted(points, key=lambda p: p['epoch'])
        epochs = [p['epoch'] for p in points]
        ax_shift.plot(epochs, [_nan(p['shift_index']) for p in points], marker='o', label=name)
        ax_acc.plot(epochs, [p['accuracy'] for p in points], marker='o', label=name)
    if zero_shot is not None:
        if zero_shot.get('shift_index') is not None:
            ax_shift.axhline(
                zero_shot['shift_index'], color='gray', linestyle='--', label='zero-shot CLIP')
        ax_acc.axhline(zero_shot['accuracy'], color='gray', linestyle='--', label='zero-shot CLIP')
    ax_shift.set(xlabel='epoch', ylabel='foreground shift index (share outside the mask)')
    ax_acc.set(xlabel='epoch', ylabel='base accuracy (%)')
    from matplotlib.ticker import MaxNLocator
    for ax in (ax_shift, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return save_figure(fig, out_file)


def _nan(value: Optional[float]) -> float:
    return float('nan') if value is None else value
