from .fvgpt_data_preprocessor import FVGPTDataPreprocessor

__all__ = ['FVGPTDataPreprocessor']
