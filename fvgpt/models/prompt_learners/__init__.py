from .coop_prompt_learner import CoOpPromptLearner
from .ivlp_prompt_learner import IVLPPromptLearner
from .mmrl_representation_learner import MMRLRepresentationLearner
from .tcp_prompt_learner import TCPPromptLearner

__all__ = [
    'CoOpPromptLearner', 'IVLPPromptLearner', 'MMRLRepresentationLearner', 'TCPPromptLearner'
]
