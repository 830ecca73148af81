"""The toy world: generated images of coloured shapes on textured backgrounds with exact
foreground masks, in CoOp's dataset layout, and ToyCLIP, a small CLIP pretrained on it.

It lets the whole FVG-PT chain run for real on a CPU in minutes, with no download.
"""
from .captions import CAPTION_TEMPLATES, caption_matches, make_caption, vocabulary
from .pretrain import PretrainConfig, build_pool, multi_positive_clip_loss, pretrain_toyclip
from .shapes import SHAPE_OUTLINES, shape_mask
from .textures import TEXTURES, render_background
from .toyclip import (TOYCLIP_CHECKPOINT, TOYCLIP_CONFIG, TOYCLIP_MODEL, images_to_tensor,
                      load_toyclip, register_toyclip, save_state_dict, text_classifier,
                      zeroshot_predict, zeroshot_report)
from .world import (COLOUR_HUES, MASK_FAULTS, SPLITS, STREAMS, SampleSpec, ToySample, ToyWorld,
                    ToyWorldConfig, degrade_mask)
from .writer import META_FILE, TOYWORLD_INFO, build_split, write_toyworld

__all__ = [
    'CAPTION_TEMPLATES', 'caption_matches', 'make_caption', 'vocabulary', 'PretrainConfig',
    'build_pool', 'multi_positive_clip_loss', 'pretrain_toyclip', 'SHAPE_OUTLINES', 'shape_mask',
    'TEXTURES', 'render_background', 'TOYCLIP_CHECKPOINT', 'TOYCLIP_CONFIG', 'TOYCLIP_MODEL',
    'images_to_tensor', 'load_toyclip', 'register_toyclip', 'save_state_dict', 'text_classifier',
    'zeroshot_predict', 'zeroshot_report', 'COLOUR_HUES', 'MASK_FAULTS', 'SPLITS', 'STREAMS',
    'SampleSpec', 'ToySample', 'ToyWorld', 'ToyWorldConfig', 'degrade_mask', 'META_FILE',
    'TOYWORLD_INFO', 'build_split', 'write_toyworld'
]
