"""Gives the model the image feature cache for each loop whose pipeline is deterministic."""
import contextlib
import os.path as osp
from typing import Dict, Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner.amp import autocast

from fvgpt.datasets.pipeline_identity import pipeline_identity
from fvgpt.models.utils.cache_hit_pipeline import CacheHitPipeline, skip_refusal
from fvgpt.models.utils.image_feature_cache import ImageFeatureCache
from fvgpt.registry import HOOKS

#: The fields of the top-level config key ``feature_cache`` and their defaults: on for testing
#: (and validation), off for training, in ``<work_dir>/feature_cache``; images whose features
#: are cached are not loaded (``skip_loading``).
FEATURE_CACHE_DEFAULTS = dict(train=False, test=True, dir=None, skip_loading=True)


@HOOKS.register_module()
class FeatureCacheHook(Hook):
    """Before each loop, tells the model (``model.use_feature_cache(cache, pipeline_key)``)
    whether its frozen image features may come from an :class:`ImageFeatureCache`, and counts
    the image-encoder passes run and the features reused.

    The cache is used for a loop when it is enabled for it (``train`` for training, ``test`` for
    validation and testing), the loop's dataset config has a ``pipeline`` and that pipeline is
    deterministic (:func:`fvgpt.datasets.pipeline_identity.pipeline_identity`); the model uses it
    only when its image encoder is CLIP's (``image_encoder = 'clip'``). Otherwise the loop runs
    uncached, and the log says why. Training is uncached too when the data preprocessor mixes
    images (``batch_augments``: the encoder never sees the file's own input).

    Where the model uses the cache, the loop's dataset pipeline is wrapped in
    :class:`fvgpt.models.utils.CacheHitPipeline` (``skip_loading``): a sample whose feature is
    cached is not read, decoded or transformed. The wrapper keys it as the model does, with the
    precision the model runs in inside the loop (its autocast: the optimizer wrapper's context
    for training, the loop's ``fp16`` for validation and testing).

    Args:
        dir (str, optional): the cache folder. Needed when ``train`` or ``test`` is on.
        train (bool): cache in training. Defaults to False.
        test (bool): cache in validation and testing. Defaults to True.
        counts (dict, optional): a dict whose ``'run'`` (images through the image encoder) and
            ``'reused'`` (features read from the cache) this hook adds to, so that several
            Runners (a protocol's) sum into one. Defaults to a new dict.
        skip_loading (bool): do not load the images whose features are cached. Defaults to
            True.
    """

    priority = 'NORMAL'

    def __init__(self,
                 dir: Optional[str] = None,
                 train: bool = False,
                 test: bool = True,
                 counts: Optional[Dict[str, int]] = None,
                 skip_loading: bool = True):
        if (train or test) and not dir:
            raise ValueError('FeatureCacheHook needs dir (the cache folder) when train or test '
                             'is on.')
        self.cache = ImageFeatureCache.shared(dir) if (train or test) else None
        self.enabled = dict(train=bool(train), val=bool(test), test=bool(test))
        self.skip_loading = bool(skip_loading)
        self.counts = counts if counts is not None else {}
        self.counts.setdefault('run', 0)
        self.counts.setdefault('reused', 0)
        self._training = False
        self._snapshot = (0, 0)

    # ------------------------------------------------------------------ loops
    def before_train(self, runner) -> None:
        self._training = True
        self._switch(runner, 'train')

    def after_train(self, runner) -> None:
        self._flush(runner)
        self._unwrap(runner, 'train')
        self._training = False

    def before_val(self, runner) -> None:
        self._flush(runner)
        self._switch(runner, 'val')

    def after_val(self, runner) -> None:
        self._flush(runner)
        self._unwrap(runner, 'val')
        if self._training:  # validation inside training: back to the training pipeline
            self._switch(runner, 'train')

    def before_test(self, runner) -> None:
        self._switch(runner, 'test')

    def after_test(self, runner) -> None:
        self._flush(runner)
        self._unwrap(runner, 'test')

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _model(runner):
        return runner.model.module if is_model_wrapper(runner.model) else runner.model

    def _switch(self, runner, mode: str) -> None:
        model = self._model(runner)
        self._snapshot = self._totals(runner)
        if not callable(getattr(model, 'use_feature_cache', None)):
            return
        pipeline, why = None, 'off by configuration (feature_cache.' + \
            ('train' if mode == 'train' else 'test') + ')'
        if self.enabled[mode] and self.cache is not None:
            pipeline, why = self._pipeline_key(runner, mode)
        if pipeline and mode == 'train' and getattr(
                getattr(model, 'data_preprocessor', None), 'batch_augments', None) is not None:
            pipeline, why = None, 'the data preprocessor mixes images (batch_augments)'
        model.use_feature_cache(self.cache if pipeline else None, pipeline)
        if pipeline and getattr(model, 'feature_cache', None) is None:
            why = ("the model's image encoder is not CLIP's (image_encoder = 'prompted'); its "
                   "prompt-free CLIP features (FVG-PT's z_clip) are cached")
            pipeline = None
        skip = self._set_skip(runner, mode, model, bool(pipeline))
        state = f'on ({self.cache.root}){skip}' if pipeline else f'off: {why}'
        print_log(f'Image feature cache for {mode}: {state}.', logger='current')

    @staticmethod
    def _loop_dataset(runner, mode: str):
        """The dataset of the runner's ``mode`` loop, or None."""
        loop = getattr(runner, f'{mode}_loop', None)
        return getattr(getattr(loop, 'dataloader', None), 'dataset', None)

    @classmethod
    def _unwrap(cls, runner, mode: str) -> None:
        """Gives the loop's dataset its own pipeline back (other hooks that wrap it, such as
        EpochSeedHook on a second ``train()``, find it as they left it)."""
        dataset = cls._loop_dataset(runner, mode)
        if isinstance(getattr(dataset, 'pipeline', None), CacheHitPipeline):
            dataset.pipeline = dataset.pipeline.pipeline

    def _set_skip(self, runner, mode: str, model, cache_on: bool) -> str:
        """Wraps the loop's dataset pipeline in :class:`CacheHitPipeline` (or unwraps it when
        the cache or the skip is off); returns what the log says of it."""
        self._unwrap(runner, mode)
        if not cache_on:
            return ''
        if not self.skip_loading:
            return '; every image is loaded (skip_loading=False)'
        loop = getattr(runner, f'{mode}_loop', None)
        dataset = self._loop_dataset(runner, mode)
        original = getattr(dataset, 'pipeline', None)
        if original is None:
            return '; every image is loaded (the dataset has no pipeline: a dataset wrapper?)'
        refusal = skip_refusal(original)
        if refusal is not None:
            return f'; every image is loaded ({refusal})'
        # the precision as the model will see it inside the loop
        if mode == 'train' and getattr(runner, 'optim_wrapper', None) is not None:
            context = runner.optim_wrapper.optim_context(runner.model)
        elif hasattr(loop, 'fp16'):  # mmengine's ValLoop / TestLoop: autocast(enabled=fp16)
            context = autocast(enabled=bool(loop.fp16))
        else:
            context = contextlib.nullcontext()
        if not callable(getattr(model, 'feature_cache_lookup', None)):
            return '; every image is loaded (the model has no feature_cache_lookup)'
        with context:
            lookup = model.feature_cache_lookup()
        if lookup is None:
            return '; every image is loaded (the encoder has no weights hash)'
        dataset.pipeline = CacheHitPipeline(original, self.cache.root, *lookup)
        return '; images whose features are cached are not loaded'

    @staticmethod
    def _pipeline_key(runner, mode: str):
        loader = runner.cfg.get(f'{mode}_dataloader') or {}
        pipeline = (loader.get('dataset') or {}).get('pipeline')
        if pipeline is None:
            return None, (f'{mode}_dataloader.dataset has no pipeline config (a dataset '
                          'wrapper?)')
        ident = pipeline_identity(pipeline)
        if not ident.deterministic:
            return None, f'the {mode} pipeline is not deterministic: {ident.reason}'
        return ident.key, ''

    def _totals(self, runner):
        passes = sum(
            m.image_passes for m in self._model(runner).modules()
            if isinstance(getattr(m, 'image_passes', None), int))
        return passes, (self.cache.hits if self.cache is not None else 0)

    def _flush(self, runner) -> None:
        passes, hits = self._totals(runner)
        self.counts['run'] += passes - self._snapshot[0]
        self.counts['reused'] += hits - self._snapshot[1]
        self._snapshot = (passes, hits)


def feature_cache_hook(cfg,
                       counts: Optional[Dict[str, int]] = None,
                       **overrides) -> FeatureCacheHook:
    """The :class:`FeatureCacheHook` of a config's top-level ``feature_cache`` key
    (``dict(train=False, test=True, dir=None, skip_loading=True)``; ``dir`` defaults to
    ``<work_dir>/feature_cache``); ``overrides`` (not None) replace its fields.

    Raises:
        KeyError: for a field of ``feature_cache`` that does not exist.
    """
    given = dict(cfg.get('feature_cache') or {})
    unknown = sorted(set(given) - set(FEATURE_CACHE_DEFAULTS))
    if unknown:
        raise KeyError(f'feature_cache: unknown field(s) {", ".join(unknown)}; its fields are '
                       f'{", ".join(FEATURE_CACHE_DEFAULTS)} (e.g. feature_cache = dict(train=True,'
                       " dir='work_dirs/features')).")
    settings = {**FEATURE_CACHE_DEFAULTS, **given}
    settings.update({k: v for k, v in overrides.items() if v is not None})
    if not settings['dir']:
        settings['dir'] = osp.join(cfg.get('work_dir') or 'work_dirs', 'feature_cache')
    return FeatureCacheHook(counts=counts, **settings)
