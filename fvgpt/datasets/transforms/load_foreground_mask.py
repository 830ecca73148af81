"""Loading a binary foreground mask aligned with the loaded image."""
from typing import Optional

import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import BaseTransform

from fvgpt.registry import TRANSFORMS
from fvgpt.segmentation.mask_io import decode_mask
from fvgpt.segmentation.mask_layout import mask_file_candidates
from .mask_utils import resize_mask

ON_MISSING = ('error', 'invalid')


@TRANSFORMS.register_module()
class LoadForegroundMask(BaseTransform):
    """Loads the foreground mask of ``mask_path`` and aligns it with ``img``.

    The file is the first existing one of
    :func:`fvgpt.segmentation.mask_layout.mask_file_candidates` and decodes with
    :func:`fvgpt.segmentation.mask_io.decode_mask`, as every other mask reader.

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
        for path in mask_file_candidates(mask_path):
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
                    f'Foreground mask not found: {mask_path} (nor the .png or .jpg of its stem), '
                    f'for image {results.get("img_path")}. Put the mask there (docs/datasets.md, '
                    '"Foreground masks"), point the dataset\'s mask_root at your mask folder, or '
                    "set on_missing='invalid' to train with the sample's mask marked invalid.")
            results['gt_fg_mask'] = np.zeros((height, width), dtype=np.uint8)
            results['fg_mask_valid'] = False
            return results
        mask = decode_mask(content, self.threshold).astype(np.uint8)
        mask = resize_mask(mask, (width, height))
        results['gt_fg_mask'] = mask
        results['fg_mask_valid'] = True
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(on_missing={self.on_missing}, '
                f'threshold={self.threshold}, backend_args={self.backend_args})')
