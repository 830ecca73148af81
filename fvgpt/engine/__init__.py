from .hooks import ClassListHook, WeightsOnlyCheckpointHook
from .optimizers import TrainableParamsOptimWrapperConstructor
from .schedulers import WarmupCosineAnnealingLR, WarmupCosineAnnealingParamScheduler

__all__ = [
    'ClassListHook', 'WeightsOnlyCheckpointHook', 'TrainableParamsOptimWrapperConstructor',
    'WarmupCosineAnnealingLR', 'WarmupCosineAnnealingParamScheduler'
]
