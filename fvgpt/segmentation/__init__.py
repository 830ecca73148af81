"""Foreground segmentation with mmseg models: foreground class presets, the segmenter runner,
its on-disk cache, and the mask writer behind ``tools/prepare_foreground.py``."""
from .cache import SegmentationCache
from .mask_io import decode_mask, read_binary_mask, write_mask_png, write_png_atomic
from .mask_jobs import MaskJob, jobs_from_folder, mask_job
from .mask_layout import MaskLayout, find_mask_file, mask_file_candidates, resolve_mask_root
from .prepare import MaskWriter, mask_iou
from .presets import FOREGROUND_PRESETS, ForegroundPreset, foreground_lookup, get_preset
from .report import PrepareReport
from .segmenter import Segmenter

__all__ = [
    'SegmentationCache', 'decode_mask', 'read_binary_mask', 'write_mask_png', 'write_png_atomic',
    'MaskJob', 'mask_job', 'jobs_from_folder', 'MaskLayout', 'find_mask_file',
    'mask_file_candidates', 'resolve_mask_root', 'MaskWriter', 'mask_iou', 'FOREGROUND_PRESETS',
    'ForegroundPreset', 'foreground_lookup', 'get_preset', 'PrepareReport', 'Segmenter'
]
