"""Helpers for tests and examples (their one home): tiny models, generated data, a small toy
world with stage-1 and FVG-PT configs on it, and running the repository's tools; no network.

Also, imported by module: ``fvgpt.testing.fvgpt_helpers`` (a fake backbone and FVG-PT batches),
``fvgpt.testing.fake_coop_tree`` (CoOp dataset trees in miniature), ``fvgpt.testing.toy_protocol``
(a short B2N protocol of the toy-world configs); run as a program:
``python -m fvgpt.testing.kill_at_iter`` (training killed mid-epoch).
"""
from .data import write_class_folders
from .models import TINY_CLIP_NAME, tiny_clip_cfg, tiny_coop_cfg
from .tool_runs import REPO, call_tool, log_text, run_tool, tool_path
from .toy_configs import (ADAMW, SGD, make_toyworld, stage1_config, stage2_config, write_stage1,
                          write_stage2)

__all__ = [
    'TINY_CLIP_NAME', 'tiny_clip_cfg', 'tiny_coop_cfg', 'write_class_folders', 'REPO', 'call_tool',
    'log_text', 'run_tool', 'tool_path', 'ADAMW', 'SGD', 'make_toyworld', 'stage1_config',
    'stage2_config', 'write_stage1', 'write_stage2'
]
