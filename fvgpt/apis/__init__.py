from .few_shot_protocol import FewShotProtocol
from .final_checkpoint import BEST_VAL_CHECKPOINT, final_checkpoint, selects_best_val
from .prompt_classification_inferencer import PromptClassificationInferencer
from .protocol import B2NProtocol, build_protocol
from .transfer_protocol import TransferProtocol

__all__ = [
    'B2NProtocol', 'BEST_VAL_CHECKPOINT', 'FewShotProtocol', 'PromptClassificationInferencer',
    'TransferProtocol', 'build_protocol', 'final_checkpoint', 'selects_best_val'
]
