from .checkpoint import load_checkpoint_file, register_safe_globals
from .cli import apply_common_args
from .dist import prepare_cpu_distributed, shutdown_distributed
from .json_tensor import decode_json_tensor, encode_json_tensor
from .seed import apply_seed

__all__ = [
    'register_safe_globals', 'load_checkpoint_file', 'prepare_cpu_distributed', 'apply_seed',
    'encode_json_tensor', 'decode_json_tensor', 'apply_common_args', 'shutdown_distributed'
]
