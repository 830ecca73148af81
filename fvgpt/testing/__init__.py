"""Helpers for tests and examples: tiny models and generated data, no network."""
from .data import write_class_folders
from .models import TINY_CLIP_NAME, tiny_clip_cfg, tiny_coop_cfg

__all__ = ['TINY_CLIP_NAME', 'tiny_clip_cfg', 'tiny_coop_cfg', 'write_class_folders']
