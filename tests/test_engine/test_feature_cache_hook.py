"""The config's `feature_cache` key: its defaults, its fields, and the tools accepting it; the
hook's wrapping of a loop's dataset pipeline, keyed as the model runs inside the loop."""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose

from fvgpt.engine import FeatureCacheHook, feature_cache_hook
from fvgpt.models.utils import CacheHitPipeline
from fvgpt.registry import MODELS
from fvgpt.testing.models import tiny_coop_cfg
from fvgpt.utils.cli import check_cfg_options

TEST_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='PairedResizeEdge', scale=32, edge='short'),
    dict(type='PairedCenterCrop', crop_size=32),
    dict(type='mmpretrain.PackInputs'),
]


def runner_with_test_loop(pipeline, fp16=False):
    """What the hook reads of a Runner in before_test: the config, the model, the test loop."""
    dataset = SimpleNamespace(pipeline=Compose(pipeline))
    torch.manual_seed(0)
    return SimpleNamespace(
        cfg=Config(dict(test_dataloader=dict(dataset=dict(pipeline=pipeline)))),
        model=MODELS.build(tiny_coop_cfg()).eval(),
        test_loop=SimpleNamespace(dataloader=SimpleNamespace(dataset=dataset), fp16=fp16))


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


def test_the_test_loop_skips_cached_images_and_gets_its_pipeline_back(tmp_path):
    runner = runner_with_test_loop(TEST_PIPELINE)
    dataset = runner.test_loop.dataloader.dataset
    own = dataset.pipeline
    hook = FeatureCacheHook(dir=str(tmp_path / 'cache'))
    hook.before_test(runner)
    wrapped = dataset.pipeline
    assert isinstance(wrapped, CacheHitPipeline) and wrapped.pipeline is own
    # keyed as the model keys its features (its encoder, the pipeline config, its precision)
    assert (wrapped.encoder, wrapped.pipeline_key,
            wrapped.precision) == runner.model.feature_cache_lookup()
    hook.after_test(runner)
    assert dataset.pipeline is own
    # skip_loading=False: the cache is on, every image is loaded
    FeatureCacheHook(dir=str(tmp_path / 'cache'), skip_loading=False).before_test(runner)
    assert runner.model.feature_cache is not None and dataset.pipeline is own


def test_the_key_has_the_precision_of_the_loop(tmp_path):
    # a test loop with fp16=True runs the model under autocast: the loader keys as it does
    runner = runner_with_test_loop(TEST_PIPELINE, fp16=True)
    FeatureCacheHook(dir=str(tmp_path / 'cache')).before_test(runner)
    assert 'autocast=torch.bfloat16' in runner.test_loop.dataloader.dataset.pipeline.precision


def test_a_pipeline_with_more_than_the_image_is_loaded_in_full(tmp_path):
    pipeline = [*TEST_PIPELINE[:-1], dict(type='mmpretrain.PackInputs', algorithm_keys=('x', ))]
    runner = runner_with_test_loop(pipeline)
    own = runner.test_loop.dataloader.dataset.pipeline
    FeatureCacheHook(dir=str(tmp_path / 'cache')).before_test(runner)
    assert runner.model.feature_cache is not None  # the features are still cached
    assert runner.test_loop.dataloader.dataset.pipeline is own
