from .checkpoint import load_checkpoint_file, register_safe_globals
from .cli import apply_common_args
from .dist import prepare_cpu_distributed, shutdown_distributed
from .json_tensor import decode_json_tensor, encode_json_tensor
from .seed import apply_seed
from .setup_env import register_all_modules

__all__ = [
    'register_all_modules', 'register_safe_globals', 'load_checkpoint_file',
    'prepare_cpu_distributed', 'apply_seed', 'encode_json_tensor', 'decode_json_tensor',
    'apply_common_args', 'shutdown_distributed'
]
