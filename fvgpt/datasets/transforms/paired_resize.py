"""Fixed-size resize that moves the foreground mask with the image."""
from mmcv.transforms import Resize

from fvgpt.registry import TRANSFORMS
from .mask_utils import resize_mask


@TRANSFORMS.register_module()
class PairedResize(Resize):
    """mmcv's ``Resize`` that also resizes ``gt_fg_mask`` (nearest neighbour).

    mmcv's transform already resizes ``gt_seg_map``; this adds fvgpt's mask key, resized to the
    resized image's exact shape. Without ``gt_fg_mask`` it is exactly mmcv's transform. (CoOp's
    early ``Resize((224, 224))``: ``PairedResize(scale=(224, 224), interpolation='bicubic')``.)

    **Required Keys:** ``img``; optional ``gt_fg_mask``.

    **Modified Keys:** ``img``, ``img_shape``, ``gt_fg_mask``; **Added Keys:** ``scale``,
    ``scale_factor``, ``keep_ratio``.

    Args: as mmcv's ``Resize``.
    """

    def _resize_seg(self, results: dict) -> None:
        super()._resize_seg(results)
        mask = results.get('gt_fg_mask')
        if mask is not None:
            height, width = results['img'].shape[:2]
            results['gt_fg_mask'] = resize_mask(mask, (width, height), self.backend)
