from .few_shot_protocol import FewShotProtocol
from .prompt_classification_inferencer import PromptClassificationInferencer
from .protocol import B2NProtocol, build_protocol
from .transfer_protocol import TransferProtocol

__all__ = [
    'B2NProtocol', 'FewShotProtocol', 'PromptClassificationInferencer', 'TransferProtocol',
    'build_protocol'
]
