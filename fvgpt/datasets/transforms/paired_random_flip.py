"""Random flip that moves the foreground mask with the image."""
import mmcv
import numpy as np
from mmcv.transforms import RandomFlip

from fvgpt.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PairedRandomFlip(RandomFlip):
    """mmcv's ``RandomFlip`` that also flips ``gt_fg_mask`` in the same direction.

    mmcv's transform already flips ``gt_seg_map``, boxes and keypoints; this adds fvgpt's mask
    key. Without ``gt_fg_mask`` it is exactly mmcv's transform.

    **Required Keys:** ``img``; optional ``gt_fg_mask``.

    **Modified Keys:** ``img``, ``gt_fg_mask``; **Added Keys:** ``flip``, ``flip_direction``.

    Args: as mmcv's ``RandomFlip`` (e.g. ``prob=0.5, direction='horizontal'``).
    """

    def _flip(self, results: dict) -> None:
        super()._flip(results)
        mask = results.get('gt_fg_mask')
        if mask is not None:
            results['gt_fg_mask'] = np.ascontiguousarray(
                mmcv.imflip(mask, direction=results['flip_direction']))
