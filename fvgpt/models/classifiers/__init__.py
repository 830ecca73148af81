from .base_prompt_classifier import (CLIP_MEAN, CLIP_STD, BasePromptClassifier,
                                     clip_data_preprocessor, scores_to_samples)
from .cocoop import CoCoOp
from .coop import CoOp
from .ivlp import IVLP
from .kgcoop import KgCoOp
from .maple import MaPLe
from .mmrl import MMRL
from .promptsrc import PromptSRC
from .tcp import TCP
from .zero_shot_clip import ZeroShotCLIP

__all__ = [
    'BasePromptClassifier', 'CoCoOp', 'CoOp', 'IVLP', 'KgCoOp', 'MaPLe', 'MMRL', 'PromptSRC', 'TCP',
    'ZeroShotCLIP', 'CLIP_MEAN', 'CLIP_STD', 'clip_data_preprocessor', 'scores_to_samples'
]
