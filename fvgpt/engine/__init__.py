import fvgpt.fileio  # noqa: F401  (registers the atomic checkpoint backend of the configs)
from .hooks import (ClassListHook, EpochSeedHook, FeatureCacheHook, WeightsOnlyCheckpointHook,
                    feature_cache_hook)
from .optimizers import TrainableParamsOptimWrapperConstructor
from .runner import FVGPTRunner, OnceFormattedConfig, build_runner
from .schedulers import WarmupCosineAnnealingLR, WarmupCosineAnnealingParamScheduler

__all__ = [
    'ClassListHook', 'EpochSeedHook', 'WeightsOnlyCheckpointHook', 'FeatureCacheHook',
    'feature_cache_hook', 'FVGPTRunner', 'OnceFormattedConfig', 'build_runner',
    'TrainableParamsOptimWrapperConstructor', 'WarmupCosineAnnealingLR',
    'WarmupCosineAnnealingParamScheduler'
]
