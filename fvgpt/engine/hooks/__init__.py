from .class_list_hook import ClassListHook
from .epoch_seed_hook import EpochSeedHook
from .feature_cache_hook import FeatureCacheHook, feature_cache_hook
from .gaussian_prompt_aggregation_hook import GaussianPromptAggregationHook
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = [
    'ClassListHook', 'EpochSeedHook', 'FeatureCacheHook', 'feature_cache_hook',
    'GaussianPromptAggregationHook', 'WeightsOnlyCheckpointHook'
]
