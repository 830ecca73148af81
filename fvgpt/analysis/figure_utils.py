"""matplotlib on the Agg backend (no display needed), and saving figures."""
import os
import os.path as osp


def pyplot():
    """``matplotlib.pyplot`` on the Agg backend (files only, works without a display)."""
    import matplotlib
    matplotlib.use('Agg', force=True)
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, path: str, dpi: int = 120) -> str:
    """Saves ``fig`` to ``path`` (folders made), closes it and returns the path."""
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fig.savefig(path, dpi=dpi, bbox_inches='tight')
    pyplot().close(fig)
    return path


def compact_copy(src: str, dst: str, colors: int = 256) -> str:
    """Copies a PNG as a palette PNG of ``colors`` colours (about 5x smaller, for docs/)."""
    from PIL import Image
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    with Image.open(src) as im:
        im.convert('RGB').quantize(
            colors=colors, method=Image.Quantize.MEDIANCUT).save(
                dst, optimize=True)
    return dst
