from .coop_prompt_learner import CoOpPromptLearner
from .ivlp_prompt_learner import IVLPPromptLearner

__all__ = ['CoOpPromptLearner', 'IVLPPromptLearner']
