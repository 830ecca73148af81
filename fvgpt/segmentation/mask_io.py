"""Reading and writing masks and label maps as PNG files, never leaving a half-written file."""
import os
import os.path as osp
import tempfile
from typing import Optional

import cv2
import numpy as np


def write_png_atomic(path: str, array: np.ndarray) -> None:
    """Writes ``array`` (HxW uint8 or uint16) as a PNG at ``path`` through a temporary file.

    The image is encoded in memory, written to a temporary file in the same folder and moved onto
    ``path`` with ``os.replace``, so an interrupted run leaves either the old file or the new one,
    never a truncated PNG. Readers in other processes see the same.
    """
    ok, encoded = cv2.imencode('.png', np.ascontiguousarray(array))
    if not ok:
        raise OSError(f'Could not encode a {array.dtype} array of shape {array.shape} as PNG '
                      f'for {path}.')
    folder = osp.dirname(path) or '.'
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(encoded.tobytes())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def write_mask_png(path: str, mask: np.ndarray) -> None:
    """Writes a {0, 1} mask as a single-channel 0/255 PNG (the layout the data layer reads)."""
    write_png_atomic(path, (np.asarray(mask) > 0).astype(np.uint8) * 255)


def read_binary_mask(path: str) -> Optional[np.ndarray]:
    """Reads a mask file as HxW uint8 {0, 1}; ``None`` when it cannot be read.

    Accepts single-channel or colour PNG / JPEG masks with foreground 255 (or 1, for 0/1 PNGs).
    JPEG compression blurs the 0/255 edges, so pixels are binarized at half the maximum value:
    above 127 for 0/255 masks, above 0 for 0/1 masks.
    """
    mask = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if mask is None:
        return None
    threshold = 0 if mask.max() <= 1 else 127
    return (mask > threshold).astype(np.uint8)


def read_label_map(path: str) -> Optional[np.ndarray]:
    """Reads a label map written by :func:`write_png_atomic` (uint8 or uint16); ``None`` if absent
    or unreadable."""
    if not osp.isfile(path):
        return None
    return cv2.imread(path, cv2.IMREAD_UNCHANGED)
