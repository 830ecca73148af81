from .fvgpt_runner import FVGPTRunner, build_runner
from .once_formatted_config import OnceFormattedConfig, clear_formatted_texts

__all__ = ['FVGPTRunner', 'build_runner', 'OnceFormattedConfig', 'clear_formatted_texts']
