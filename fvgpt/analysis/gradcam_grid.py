"""The paper's Fig. 1 layout: rows are images, columns are models, maps over the images."""
from typing import Optional, Sequence

import numpy as np

from .figure_utils import pyplot, save_figure


def plot_gradcam_grid(images: np.ndarray,
                      masks: np.ndarray,
                      maps: Sequence[np.ndarray],
                      model_names: Sequence[str],
                      preds: Sequence[Sequence[str]],
                      correct: Sequence[Sequence[bool]],
                      labels: Sequence[str],
                      out_file: str,
                      shares: Optional[Sequence[Sequence[Optional[float]]]] = None,
                      title: Optional[str] = None) -> str:
    """Draws the grid and saves it.

    Args:
        images (ndarray): ``(N, H, W, 3)`` uint8 RGB images.
        masks (ndarray): ``(N, H, W)`` foreground masks (outlined; an all-zero mask is not).
        maps (Sequence[ndarray]): per model, ``(N, H, W)`` maps.
        model_names (Sequence[str]): column titles.
        preds (Sequence[Sequence[str]]): per model, the predicted class name of each image.
        correct (Sequence[Sequence[bool]]): per model, whether each prediction is right.
        labels (Sequence[str]): the true class of each image (first column).
        out_file (str): the PNG to write.
        shares (optional): per model, each image's share of the map outside the mask.
        title (str, optional): the figure's title.

    Returns:
        str: ``out_file``.
    """
    plt = pyplot()
    rows, cols = len(images), len(model_names) + 1
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.3 * rows), squeeze=False)
    for r in range(rows):
        axes[r, 0].imshow(images[r])
        _outline(axes[r, 0], masks[r])
        axes[r, 0].set_title(('image\n' if r == 0 else '') + f'true: {labels[r]}', fontsize=8)
        for c in range(len(model_names)):
            ax = axes[r, c + 1]
            heat = maps[c][r].astype(np.float64)
            heat = heat / heat.max() if heat.max() > 0 else heat
            ax.imshow(images[r])
            ax.imshow(heat, cmap='jet', alpha=0.5, vmin=0, vmax=1)
            _outline(ax, masks[r])
            mark = 'right' if correct[c][r] else 'wrong'
            text = (f'{model_names[c]}\n' if r == 0 else '') + f'{preds[c][r]} ({mark})'
            if shares is not None and shares[c][r] is not None:
                text += f'\noutside {shares[c][r]:.2f}'
            ax.set_title(text, fontsize=8, color='darkgreen' if correct[c][r] else 'darkred')
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title)
    return save_figure(fig, out_file)


def _outline(ax, mask: np.ndarray) -> None:
    mask = np.asarray(mask, dtype=np.float64)
    if mask.max() > 0.5 and mask.min() < 0.5:
        ax.contour(mask, levels=[0.5], colors='white', linewidths=1.0)
