"""Random resized crop that moves the foreground mask with the image."""
import mmcv
import numpy as np
from mmpretrain.datasets.transforms import RandomResizedCrop

from fvgpt.registry import TRANSFORMS
from .mask_utils import resize_mask


@TRANSFORMS.register_module()
class PairedRandomResizedCrop(RandomResizedCrop):
    """mmpretrain's ``RandomResizedCrop`` that also crops and resizes ``gt_fg_mask``.

    One random crop box per sample, used for the image (``interpolation``) and the mask
    (nearest neighbour). Without ``gt_fg_mask`` in the sample it is exactly mmpretrain's
    transform, so baselines and FVG-PT can share one pipeline. CoOp's training crop is
    ``PairedRandomResizedCrop(scale=224, crop_ratio_range=(0.08, 1.0), interpolation='bicubic')``.

    **Required Keys:** ``img``; optional ``gt_fg_mask``.

    **Modified Keys:** ``img``, ``img_shape``, ``gt_fg_mask``.

    Args: as mmpretrain's ``RandomResizedCrop``.
    """

    def transform(self, results: dict) -> dict:
        """Crops and resizes ``img`` and ``gt_fg_mask`` with the same random box."""
        img = results['img']
        offset_h, offset_w, target_h, target_w = self.rand_crop_params(img)
        box = np.array([offset_w, offset_h, offset_w + target_w - 1, offset_h + target_h - 1])
        size = tuple(self.scale[::-1])
        img = mmcv.imresize(
            mmcv.imcrop(img, bboxes=box),
            size,
            interpolation=self.interpolation,
            backend=self.backend)
        results['img'] = img
        results['img_shape'] = img.shape
        mask = results.get('gt_fg_mask')
        if mask is not None:
            results['gt_fg_mask'] = resize_mask(
                mmcv.imcrop(mask, bboxes=box), img.shape[1::-1], self.backend)
        return results
