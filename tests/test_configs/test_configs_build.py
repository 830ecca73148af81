"""Every shipped config parses, inherits at most two `_base_` levels, and names registered types."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.registry import DATASETS, HOOKS, METRICS, MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
    if not any(part in p for part in ('_base_', 'segmenters', 'protocols')))


def base_depth(path: str) -> int:
    # the files named by the config's `_base_` (not the word in a comment)
    bases = Config._get_base_files(path)
    if not bases:
        return 0
    return 1 + max(
        (base_depth(osp.normpath(osp.join(osp.dirname(path), b))) for b in bases), default=0)


def types_in(obj):
    if isinstance(obj, dict):
        if 'type' in obj and isinstance(obj['type'], str):
            yield obj
        for v in obj.values():
            yield from types_in(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from types_in(v)


@pytest.mark.parametrize('path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_parses_and_types_resolve(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'fvgpt'
    assert base_depth(path) <= 2, f'{path} inherits more than two _base_ levels'
    assert MODELS.get(cfg.model.type) is not None
    for hook in cfg.get('custom_hooks', []):
        assert HOOKS.get(hook['type']) is not None
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if not loader:
            continue
        assert DATASETS.get(loader.dataset.type) is not None, (key, loader.dataset)
        for step in loader.dataset.pipeline:
            assert TRANSFORMS.get(step['type']) is not None, step
    for key in ('val_evaluator', 'test_evaluator'):
        if cfg.get(key):
            assert METRICS.get(cfg[key]['type']) is not None


def test_all_b2n_datasets_have_coop_zsclip_and_ivlp_configs():
    names = [
        'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
        'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
    ]
    for name in names:
        for method in ('coop', 'zsclip', 'ivlp'):
            assert osp.isfile(osp.join(REPO, 'configs', method, f'{method}_b2n_{name}.py'))


#: Most code lines (not blank, not comment) of a leaf config: what a leaf adds to its bases.
LEAF_MAX_LINES = 20


def test_every_leaf_config_is_small():
    """A leaf names its bases and sets what is its own (dataset, stage-1 config, work dir); the
    model, data and schedule blocks live in `_base_` (docs/conventions.md, "Configs")."""
    sizes = {}
    for path in CONFIGS:
        with open(path) as f:
            code = [line for line in f if line.strip() and not line.lstrip().startswith('#')]
        sizes[osp.relpath(path, REPO)] = len(code)
    large = {p: n for p, n in sizes.items() if n > LEAF_MAX_LINES}
    assert len(sizes) > 100 and not large, (
        f'leaf configs with more than {LEAF_MAX_LINES} code lines: {large}; move the blocks '
        'they repeat into a _base_ file of their method.')
