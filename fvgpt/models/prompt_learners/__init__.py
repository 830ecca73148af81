from .coop_prompt_learner import CoOpPromptLearner
from .mmrl_representation_learner import MMRLRepresentationLearner

__all__ = ['CoOpPromptLearner', 'MMRLRepresentationLearner']
