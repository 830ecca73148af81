from .classifiers import IVLP, BasePromptClassifier, CoOp, ZeroShotCLIP
from .clip import OpenCLIP
from .data_preprocessors import FVGPTDataPreprocessor
from .fvgpt import FVGPT
from .prompt_learners import CoOpPromptLearner, IVLPPromptLearner

__all__ = [
    'BasePromptClassifier', 'CoOp', 'ZeroShotCLIP', 'OpenCLIP', 'FVGPTDataPreprocessor', 'FVGPT',
    'CoOpPromptLearner', 'IVLP', 'IVLPPromptLearner'
]
