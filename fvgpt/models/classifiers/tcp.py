"""TCP: KgCoOp-style prompts whose text encoder receives class-aware tokens mid-way."""
from typing import Optional, Sequence

import torch

from fvgpt.registry import MODELS
from ..clip.prompted_transformer import DeepPrompts
from .kgcoop import KgCoOp


@MODELS.register_module()
class TCP(KgCoOp):
    """TCP (Yao et al., "TCP: Textual-based Class-aware Prompt tuning for Visual-Language Model",
    CVPR 2024), as its authors' code computes it (htyao89/Textual-based_Class-aware_prompt_tuning
    ``trainers/tcp.py`` with ``trainers/clip_text/model.py``).

    The class text feature ``w_c`` is CLIP's text encoder on CoOp's prompt (a shared context of
    ``M`` tokens and the dataset's template words), where before one text block
    (``prompt_learner.class_token_block``) the context positions are replaced by class-aware
    tokens ``meta_net(u_c)`` made from the frozen CLIP's feature ``u_c`` of the hand-made prompt
    of class ``c`` (:class:`fvgpt.models.prompt_learners.TCPPromptLearner`). Logits are CoOp's,
    ``s v w^T`` with CLIP's image feature ``v`` and logit scale ``s`` (``image_encoder =
    'clip'``); the loss is KgCoOp's, ``CE + kg_weight (1 - mean_c cos(w_c, u_c))``, with the same
    ``u``.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict, optional): config of the prompts. Defaults to
            ``dict(type='TCPPromptLearner')`` (4 random context tokens, block 8).
        kg_weight (float): weight of the knowledge-guided loss; the authors' ``tcp.py`` fixes it
            to 8.0 (their ``TRAINER.COOP.W`` does not reach the loss). Defaults to 8.0.
        knowledge_template (str, optional): the hand-made template of ``u`` (the authors'
            ``CUSTOM_TEMPLATES_ori``). None uses the dataset's first template; TCP's table
            differs from CoOp's for FGVCAircraft, DTD and Food101, whose configs set it.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    def __init__(self,
                 clip: dict,
                 prompt_learner: Optional[dict] = None,
                 kg_weight: float = 8.0,
                 knowledge_template: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        prompt_learner = dict(prompt_learner or dict(type='TCPPromptLearner'))
        super().__init__(
            clip=clip,
            prompt_learner=prompt_learner,
            kg_weight=kg_weight,
            knowledge_template=knowledge_template,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if not callable(getattr(self.prompt_learner, 'class_tokens', None)):
            raise TypeError(f'TCP needs a prompt learner with class-aware tokens '
                            f'(type="TCPPromptLearner"), got {type(self.prompt_learner).__name__}.')

    def recipe(self) -> dict:
        # the hand prompt makes the class-aware tokens: tuned with one, they do not fit another
        return dict(super().recipe(), knowledge_template=self.knowledge_template)

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        embeddings, eot = self.prompt_learner(classnames, self.clip)
        class_tokens = self.prompt_learner.class_tokens(self.knowledge_text_feats(classnames))
        # replaces the context positions 1..M before the chosen block (the authors' weight 1.0)
        prompts = DeepPrompts({self.prompt_learner.class_token_block: class_tokens},
                              position=1,
                              in_input=True)
        return self.clip.encode_text_embeddings(embeddings, eot, normalize=True, prompts=prompts)
