from .classifiers import (IVLP, MMRL, BasePromptClassifier, CoOp, KgCoOp, MaPLe, PromptSRC,
                          ZeroShotCLIP)
from .clip import OpenCLIP
from .data_preprocessors import FVGPTDataPreprocessor
from .fvgpt import FVGPT
from .prompt_learners import (CoOpPromptLearner, IVLPPromptLearner, MaPLePromptLearner,
                              MMRLRepresentationLearner)

__all__ = [
    'BasePromptClassifier', 'CoOp', 'ZeroShotCLIP', 'OpenCLIP', 'FVGPTDataPreprocessor', 'FVGPT',
    'CoOpPromptLearner', 'IVLP', 'IVLPPromptLearner', 'KgCoOp', 'MMRL', 'PromptSRC',
    'MMRLRepresentationLearner', 'MaPLe', 'MaPLePromptLearner'
]
