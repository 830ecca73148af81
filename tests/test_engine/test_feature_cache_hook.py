"""The config's `feature_cache` key: its defaults, its fields, and the tools accepting it."""
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.engine import feature_cache_hook
from fvgpt.utils.cli import check_cfg_options


def test_defaults_cache_tests_not_training_in_the_work_dir(tmp_path):
    hook = feature_cache_hook(Config(dict(work_dir=str(tmp_path / 'run'))))
    assert hook.enabled == dict(train=False, val=True, test=True)
    assert hook.cache.root == osp.join(str(tmp_path / 'run'), 'feature_cache')
    assert hook.counts == dict(run=0, reused=0)


def test_config_fields_and_overrides(tmp_path):
    cfg = Config(dict(work_dir='w', feature_cache=dict(train=True, dir=str(tmp_path / 'c'))))
    hook = feature_cache_hook(cfg, test=False)
    assert hook.enabled == dict(train=True, val=False, test=False)
    assert hook.cache.root == str(tmp_path / 'c')
    off = feature_cache_hook(cfg, train=False, test=False)
    assert off.cache is None


def test_unknown_fields_are_named():
    with pytest.raises(KeyError, match='unknown field.*enable.*train, test, dir'):
        feature_cache_hook(Config(dict(work_dir='w', feature_cache=dict(enable=True))))


def test_cfg_options_may_set_it_on_a_config_without_it():
    check_cfg_options(Config(dict(model=dict())), {'feature_cache.train': True})
    with pytest.raises(KeyError, match='feature_cachee'):
        check_cfg_options(Config(dict(model=dict())), {'feature_cachee.train': True})
