"""Loading a binary foreground mask aligned with the loaded image."""
import io
import os.path as osp
from typing import List, Optional

import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform
from PIL import Image

from fvgpt.registry import TRANSFORMS
from .mask_utils import resize_mask

ON_MISSING = ('error', 'invalid')


def foreground_mask_candidates(mask_path: str) -> List[str]:
    """The files that may hold the mask of ``mask_path``: itself, then a ``.png`` of its stem.

    The authors' bundle keeps the image's file name (``.jpg`` masks of ``.jpg`` images); masks
    written by a segmenter are single-channel PNGs of the same stem.
    """
    png = osp.splitext(mask_path)[0] + '.png'
    return [mask_path] if png == mask_path else [mask_path, png]


def decode_foreground_mask(content: bytes, threshold: float = 0.5) -> np.ndarray:
    """Decodes a mask file into an ``(H, W)`` bool foreground map.

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


@TRANSFORMS.register_module()
class LoadForegroundMask(BaseTransform):
    """Loads the foreground mask of ``mask_path`` and aligns it with ``img``.

    The mask is resized to the loaded image with nearest neighbour (the authors' masks have a
    shorter side of 512 whatever the image size) and binarized at ``threshold``. Put it right
    after ``LoadImageFromFile``, before any geometric transform.

    **Required Keys:** ``img``, ``mask_path`` (set by fvgpt datasets built with
    ``with_mask=True``); optional ``mask_on_missing`` (set by the dataset from its
    ``on_missing``).

    **Added Keys:** ``gt_fg_mask`` (``(H, W)`` uint8 in {0, 1}), ``fg_mask_valid`` (bool).

    Args:
        on_missing (str, optional): what a missing mask file does: ``'error'`` raises
            ``FileNotFoundError`` naming the expected path; ``'invalid'`` gives an all-zero mask
            with ``fg_mask_valid=False``. None (default) follows the dataset's ``on_missing``
            (``results['mask_on_missing']``), and ``'error'`` when there is none.
        threshold (float): binarization threshold on the [0, 1] scale. Defaults to 0.5.
        backend_args (dict, optional): file backend arguments (``mmengine.fileio``).
    """

    def __init__(self,
                 on_missing: Optional[str] = None,
                 threshold: float = 0.5,
                 backend_args: Optional[dict] = None) -> None:
        if on_missing is not None and on_missing not in ON_MISSING:
            raise ValueError(f'on_missing must be one of {ON_MISSING} or None, got '
                             f'"{on_missing}".')
        self.on_missing = on_missing
        self.threshold = threshold
        self.backend_args = backend_args

    def _read(self, mask_path: str) -> Optional[bytes]:
        for path in foreground_mask_candidates(mask_path):
            try:
                return fileio.get(path, backend_args=self.backend_args)
            except FileNotFoundError:
                continue
        return None

    def transform(self, results: dict) -> dict:
        """Adds ``gt_fg_mask`` and ``fg_mask_valid`` to ``results``."""
        if 'img' not in results:
            raise KeyError('LoadForegroundMask needs the image: put it after LoadImageFromFile.')
        if 'mask_path' not in results:
            raise KeyError('No "mask_path" in the sample: build the dataset with with_mask=True '
                           '(only pipelines that use foreground masks need it).')
        img = results['img']
        height, width = img.shape[:2]
        ori_shape = results.get('ori_shape')
        if ori_shape is not None and tuple(ori_shape[:2]) != (height, width):
            raise RuntimeError(
                f'LoadForegroundMask got an image already resized or cropped ({height}x{width} '
                f'from {ori_shape[0]}x{ori_shape[1]}): put it right after LoadImageFromFile, '
                'before the (paired) geometric transforms.')
        mask_path = results['mask_path']
        content = self._read(mask_path)
        if content is None:
            on_missing = self.on_missing or results.get('mask_on_missing', 'error')
            if on_missing == 'error':
                raise FileNotFoundError(
                    f'Foreground mask not found: {mask_path} (nor its .png sibling), for image '
                    f'{results.get("img_path")}. Put the mask there (docs/datasets.md, "Foreground '
                    'masks"), point the dataset\'s mask_root at your mask folder, or set '
                    "on_missing='invalid' to train with the sample's mask marked invalid.")
            results['gt_fg_mask'] = np.zeros((height, width), dtype=np.uint8)
            results['fg_mask_valid'] = False
            return results
        mask = decode_foreground_mask(content, self.threshold).astype(np.uint8)
        mask = resize_mask(mask, (width, height))
        results['gt_fg_mask'] = mask
        results['fg_mask_valid'] = True
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(on_missing={self.on_missing}, '
                f'threshold={self.threshold}, backend_args={self.backend_args})')
