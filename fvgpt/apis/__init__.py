from .prompt_classification_inferencer import PromptClassificationInferencer
from .protocol import B2NProtocol

__all__ = ['B2NProtocol', 'PromptClassificationInferencer']
