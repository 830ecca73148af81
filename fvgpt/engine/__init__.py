import fvgpt.fileio  # noqa: F401  (registers the atomic checkpoint backend of the configs)
from .hooks import ClassListHook, EpochSeedHook, WeightsOnlyCheckpointHook
from .optimizers import TrainableParamsOptimWrapperConstructor
from .schedulers import WarmupCosineAnnealingLR, WarmupCosineAnnealingParamScheduler

__all__ = [
    'ClassListHook', 'EpochSeedHook', 'WeightsOnlyCheckpointHook',
    'TrainableParamsOptimWrapperConstructor', 'WarmupCosineAnnealingLR',
    'WarmupCosineAnnealingParamScheduler'
]
