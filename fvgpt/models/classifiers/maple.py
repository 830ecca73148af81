"""MaPLe: multi-modal prompt learning (muzairkhattak/multimodal-prompt-learning maple.py)."""
from fvgpt.registry import MODELS
from .ivlp import IVLP


@MODELS.register_module()
class MaPLe(IVLP):
    """MaPLe (Khattak et al., "MaPLe: Multi-modal Prompt Learning", CVPR 2023): CLIP scored with
    deep text prompts on the class side and, on the image side, deep vision prompts that are
    linear projections of the text prompts of the same layer (:class:`MaPLePromptLearner`);
    trained with cross-entropy, CLIP's logit scale, class-token pooling.

    The computation is :class:`IVLP`'s with coupled instead of independent vision prompts, so
    this class differs from it only in its prompt learner and its name (a checkpoint of one does
    not load into the other). The image tower carries prompts (``image_encoder = 'prompted'``):
    FVG-PT's foundation image features come from a separate prompt-free CLIP pass.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict): config of the prompts, built with ``clip=`` this model's CLIP.
            Defaults to ``dict(type='MaPLePromptLearner')`` (2 tokens, depth 9, "a photo of a").
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    default_prompt_learner = dict(type='MaPLePromptLearner')
