from .coop_prompt_learner import CoOpPromptLearner

__all__ = ['CoOpPromptLearner']
