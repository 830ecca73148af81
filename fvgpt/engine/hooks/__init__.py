from .class_list_hook import ClassListHook
from .epoch_seed_hook import EpochSeedHook
from .gaussian_prompt_aggregation_hook import GaussianPromptAggregationHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = [
    'ClassListHook', 'EpochSeedHook', 'GaussianPromptAggregationHook', 'WeightsOnlyCheckpointHook'
]
