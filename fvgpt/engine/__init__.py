from .hooks import ClassListHook, WeightsOnlyCheckpointHook

__all__ = ['ClassListHook', 'WeightsOnlyCheckpointHook']
