from .class_list_hook import ClassListHook
from .gaussian_prompt_aggregation_hook import GaussianPromptAggregationHook  # noqa: F401
from .weights_only_checkpoint_hook import WeightsOnlyCheckpointHook

__all__ = ['ClassListHook', 'WeightsOnlyCheckpointHook']
