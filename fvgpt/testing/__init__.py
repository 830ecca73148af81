"""Helpers for tests and examples: tiny models and generated data, no network. Also, imported
by module: ``fvgpt.testing.fvgpt_helpers`` (a fake backbone and FVG-PT batches) and
``fvgpt.testing.fake_coop_tree`` (CoOp dataset trees in miniature)."""
from .data import write_class_folders
from .models import TINY_CLIP_NAME, tiny_clip_cfg, tiny_coop_cfg

__all__ = ['TINY_CLIP_NAME', 'tiny_clip_cfg', 'tiny_coop_cfg', 'write_class_folders']
