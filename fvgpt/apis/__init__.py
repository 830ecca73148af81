from .few_shot_protocol import FewShotProtocol
from .protocol import B2NProtocol, build_protocol
from .transfer_protocol import TransferProtocol

__all__ = ['B2NProtocol', 'FewShotProtocol', 'TransferProtocol', 'build_protocol']
