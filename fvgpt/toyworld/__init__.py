"""The toy world: generated images of coloured shapes on textured backgrounds with exact
foreground masks, in CoOp's dataset layout, and ToyCLIP, a small CLIP pretrained on it.

It lets the whole FVG-PT chain run for real on a CPU in minutes, with no download.
"""
from .captions import CAPTION_TEMPLATES, caption_matches, make_caption, vocabulary
from .conditions import Condition, check_conditions, iou_summary, mask_iou
from .measure import exact_mask_reader, mask_quality, read_world, segmenter_mask_ious, to_clip_input
from .pretrain import (PRETRAIN_WORLD, PretrainConfig, build_pool, multi_positive_clip_loss,
                       pretrain_toyclip, zeroshot_accuracy)
from .shapes import SHAPE_OUTLINES, shape_mask
from .textures import TEXTURES, render_background
from .toyclip import TOYCLIP_CHECKPOINT, TOYCLIP_MODEL, build_toyclip, save_state_dict
from .world import (COLOUR_HUES, MASK_FAULTS, SPLITS, STREAMS, Distractor, SampleSpec, ToySample,
                    ToyWorld, ToyWorldConfig, degrade_mask)
from .writer import META_FILE, TOYWORLD_INFO, build_split, write_toyworld

__all__ = [
    'CAPTION_TEMPLATES', 'caption_matches', 'make_caption', 'vocabulary', 'Condition',
    'check_conditions', 'iou_summary', 'mask_iou', 'exact_mask_reader', 'mask_quality',
    'read_world', 'segmenter_mask_ious', 'to_clip_input', 'PRETRAIN_WORLD', 'PretrainConfig',
    'build_pool', 'multi_positive_clip_loss', 'pretrain_toyclip', 'zeroshot_accuracy',
    'SHAPE_OUTLINES', 'shape_mask', 'TEXTURES', 'render_background', 'TOYCLIP_CHECKPOINT',
    'TOYCLIP_MODEL', 'build_toyclip', 'save_state_dict', 'COLOUR_HUES', 'MASK_FAULTS', 'SPLITS',
    'STREAMS', 'Distractor', 'SampleSpec', 'ToySample', 'ToyWorld', 'ToyWorldConfig',
    'degrade_mask', 'META_FILE', 'TOYWORLD_INFO', 'build_split', 'write_toyworld'
]
