"""Shorter- (or longer-) edge resize that moves the foreground mask with the image."""
from mmpretrain.datasets.transforms import ResizeEdge

from fvgpt.registry import TRANSFORMS
from .mask_utils import resize_mask


@TRANSFORMS.register_module()
class PairedResizeEdge(ResizeEdge):
    """mmpretrain's ``ResizeEdge`` that also resizes ``gt_fg_mask`` (nearest neighbour).

    CoOp's test resize is ``PairedResizeEdge(scale=224, edge='short', interpolation='bicubic')``
    (torchvision's ``Resize(224)``). Without ``gt_fg_mask`` it is exactly mmpretrain's transform.

    **Required Keys:** ``img``; optional ``gt_fg_mask``.

    **Modified Keys:** ``img``, ``img_shape``, ``gt_fg_mask``; **Added Keys:** ``scale``,
    ``scale_factor``.

    Args: as mmpretrain's ``ResizeEdge``.
    """

    def _resize_img(self, results: dict) -> None:
        super()._resize_img(results)
        mask = results.get('gt_fg_mask')
        if mask is not None:
            height, width = results['img'].shape[:2]
            results['gt_fg_mask'] = resize_mask(mask, (width, height), self.backend)
