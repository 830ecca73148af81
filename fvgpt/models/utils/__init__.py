from .cache_hit_pipeline import CacheHitPipeline, skip_refusal
from .frozen_state import freeze, is_frozen, keep_frozen_in_eval
from .image_feature_cache import ImageFeatureCache

__all__ = [
    'CacheHitPipeline', 'skip_refusal', 'freeze', 'is_frozen', 'keep_frozen_in_eval',
    'ImageFeatureCache'
]
