"""Center crop that moves the foreground mask with the image."""
import mmcv
import numpy as np
from mmcv.transforms import CenterCrop

from fvgpt.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PairedCenterCrop(CenterCrop):
    """mmcv's ``CenterCrop`` that also crops ``gt_fg_mask`` with the same box.

    mmcv's transform already crops ``gt_seg_map``; this adds fvgpt's mask key. Without
    ``gt_fg_mask`` it is exactly mmcv's transform. ``auto_pad`` is refused: mmcv's padding would
    pad the image but not the mask.

    **Required Keys:** ``img``; optional ``gt_fg_mask``.

    **Modified Keys:** ``img``, ``img_shape``, ``gt_fg_mask``.

    Args: as mmcv's ``CenterCrop`` (``auto_pad`` must stay False).
    """

    def __init__(self, crop_size, auto_pad: bool = False, **kwargs) -> None:
        if auto_pad:
            raise ValueError('PairedCenterCrop does not support auto_pad=True (the mask would '
                             'not be padded). Resize the shorter side to at least the crop size '
                             'first, e.g. with PairedResizeEdge.')
        super().__init__(crop_size, auto_pad=False, **kwargs)

    def _crop_seg_map(self, results: dict, bboxes: np.ndarray) -> None:
        super()._crop_seg_map(results, bboxes)
        mask = results.get('gt_fg_mask')
        if mask is not None:
            results['gt_fg_mask'] = mmcv.imcrop(mask, bboxes=bboxes)
