from .class_list_hook import ClassListHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = ['ClassListHook', 'WeightsOnlyCheckpointHook']
