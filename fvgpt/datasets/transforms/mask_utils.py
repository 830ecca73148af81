"""Resizing a binary mask so that it stays on the image's pixel grid."""
from typing import Tuple

import cv2
import mmcv
import numpy as np


def resize_mask(mask: np.ndarray, size: Tuple[int, int], backend: str = 'cv2') -> np.ndarray:
    """Nearest-neighbour resize of an ``(H, W)`` mask to ``size = (width, height)``.

    With the cv2 backend this uses ``INTER_NEAREST_EXACT``, which samples at pixel centres as
    PIL's (and torchvision's) nearest does; cv2's plain ``INTER_NEAREST`` (what
    ``mmcv.imresize(..., 'nearest')`` gives) samples at the pixels' top-left corners and shifts
    a downscaled mask by up to half a source pixel against a bicubic-resized image.

    Args:
        mask (np.ndarray): ``(H, W)`` mask.
        size (tuple[int, int]): ``(width, height)`` of the output.
        backend (str): ``'cv2'`` or ``'pillow'`` (as the image's transform). Defaults to 'cv2'.

    Returns:
        np.ndarray: the resized mask, same dtype.
    """
    if tuple(mask.shape[:2][::-1]) == tuple(size):
        return mask
    if backend == 'cv2':
        return cv2.resize(mask, tuple(size), interpolation=cv2.INTER_NEAREST_EXACT)
    return mmcv.imresize(mask, tuple(size), interpolation='nearest', backend=backend)
