"""Transforms of fvgpt: foreground-mask loading and geometric transforms that move the mask
with the image (photometric transforms of mmpretrain / mmcv touch the image only, as they are)."""
from .foreground_view import ForegroundView
from .load_foreground_mask import LoadForegroundMask
from .mmseg_foreground import MMSegForeground
from .paired_center_crop import PairedCenterCrop
from .paired_random_flip import PairedRandomFlip
from .paired_random_resized_crop import PairedRandomResizedCrop
from .paired_resize import PairedResize
from .paired_resize_edge import PairedResizeEdge

__all__ = [
    'ForegroundView', 'LoadForegroundMask', 'PairedCenterCrop', 'PairedRandomFlip',
    'PairedRandomResizedCrop', 'PairedResize', 'PairedResizeEdge', 'MMSegForeground'
]
