"""Mask files: the one decoder of a foreground mask (:func:`decode_mask`), and writing masks and
label maps as PNG files, never leaving a half-written file."""
import io
import os
import os.path as osp
import tempfile
from typing import Optional

import cv2
import numpy as np
from PIL import Image


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


def decode_mask(content: bytes, threshold: float = 0.5) -> np.ndarray:
    """Decodes a mask file into an ``(H, W)`` bool foreground map: the one mask decoder.

    - RGB(A) or gray images (the authors' bundle: JPEG, white foreground): the mean of the color
      channels, scaled to [0, 1], above ``threshold``. Alpha is ignored.
    - 8-bit single-channel lossless images (PNG) whose values are all 0 or 1, and palette images
      (mmseg's label-map PNGs): label maps, foreground where the value is non-zero. (A JPEG is
      always thresholded: its compression noise on a black mask can be 0s and 1s.)
    - 16-bit gray PNGs: scaled by 65535, then as gray images.

    Args:
        content (bytes): the file's bytes.
        threshold (float): binarization threshold on the [0, 1] scale. Defaults to 0.5.

    Returns:
        np.ndarray: ``(H, W)`` bool.
    """
    with Image.open(io.BytesIO(content)) as im:
        mode = im.mode
        lossy = im.format == 'JPEG'
        if mode == 'P':
            return np.asarray(im) > 0
        if mode == '1':
            return np.asarray(im).astype(bool)
        if mode in ('I;16', 'I;16B', 'I;16L'):
            return np.asarray(im, dtype=np.float64) / 65535.0 > threshold
        if mode not in ('L', 'LA', 'RGB', 'RGBA'):
            im = im.convert('RGB')
        arr = np.asarray(im)
    if arr.ndim == 3:
        channels = arr[..., :1] if mode == 'LA' else arr[..., :3]
        return channels.astype(np.float64).mean(axis=-1) / 255.0 > threshold
    if not lossy and arr.max(initial=0) <= 1:
        return arr > 0
    return arr.astype(np.float64) / 255.0 > threshold


def read_binary_mask(path: str, threshold: float = 0.5) -> Optional[np.ndarray]:
    """Reads a mask file as ``(H, W)`` uint8 {0, 1} with :func:`decode_mask`; ``None`` when it is
    missing or cannot be decoded.

    Args:
        path (str): the mask file.
        threshold (float): as in :func:`decode_mask`. Defaults to 0.5.

    Returns:
        np.ndarray | None: the mask, or None.
    """
    try:
        with open(path, 'rb') as f:
            return decode_mask(f.read(), threshold).astype(np.uint8)
    except (OSError, ValueError, SyntaxError):  # missing, empty, truncated, not an image
        return None


def read_label_map(path: str) -> Optional[np.ndarray]:
    """Reads a label map written by :func:`write_png_atomic` (uint8 or uint16); ``None`` if absent
    or unreadable."""
    if not osp.isfile(path):
        return None
    return cv2.imread(path, cv2.IMREAD_UNCHANGED)
