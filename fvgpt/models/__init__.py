from .classifiers import BasePromptClassifier, CoOp, ZeroShotCLIP
from .clip import OpenCLIP
from .prompt_learners import CoOpPromptLearner

__all__ = ['BasePromptClassifier', 'CoOp', 'ZeroShotCLIP', 'OpenCLIP', 'CoOpPromptLearner']
