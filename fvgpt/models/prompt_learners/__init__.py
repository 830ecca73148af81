from .cocoop_prompt_learner import CoCoOpPromptLearner
from .coop_prompt_learner import CoOpPromptLearner
from .ivlp_prompt_learner import IVLPPromptLearner
from .mmrl_representation_learner import MMRLRepresentationLearner

__all__ = [
    'CoCoOpPromptLearner', 'CoOpPromptLearner', 'IVLPPromptLearner', 'MMRLRepresentationLearner'
]
