from .open_clip_wrapper import OpenCLIP, format_class_prompt

__all__ = ['OpenCLIP', 'format_class_prompt']
