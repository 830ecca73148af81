from .open_clip_wrapper import OpenCLIP, format_class_prompt
from .prompted_transformer import DeepPrompts

__all__ = ['OpenCLIP', 'format_class_prompt', 'DeepPrompts']
