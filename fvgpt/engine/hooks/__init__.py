from .class_list_hook import ClassListHook
from .epoch_seed_hook import EpochSeedHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = ['ClassListHook', 'EpochSeedHook', 'WeightsOnlyCheckpointHook']
