from .cocoop_prompt_learner import CoCoOpPromptLearner
from .coop_prompt_learner import CoOpPromptLearner
from .ivlp_prompt_learner import IVLPPromptLearner
from .maple_prompt_learner import MaPLePromptLearner
from .mmrl_representation_learner import MMRLRepresentationLearner
from .tcp_prompt_learner import TCPPromptLearner

__all__ = [
    'CoCoOpPromptLearner', 'CoOpPromptLearner', 'IVLPPromptLearner', 'MaPLePromptLearner',
    'MMRLRepresentationLearner', 'TCPPromptLearner'
]
