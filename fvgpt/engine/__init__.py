from .hooks import ClassListHook, WeightsOnlyCheckpointHook
from .optimizers import TrainableParamsOptimWrapperConstructor

__all__ = ['ClassListHook', 'WeightsOnlyCheckpointHook', 'TrainableParamsOptimWrapperConstructor']
