"""KgCoOp: CoOp whose tuned class prompts are kept close to the hand-made prompt's features."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from .coop import CoOp


@MODELS.register_module()
class KgCoOp(CoOp):
    """KgCoOp (Yao et al., "Visual-Language Prompt Tuning with Knowledge-guided Context
    Optimization", CVPR 2023), as the FVG-PT authors run it (JREion/FVG-PT ``trainers/kgcoop.py``).

    The prompt and the inference are CoOp's (the context is a :class:`CoOpPromptLearner`,
    initialized from ``"a photo of a"``); training adds the knowledge-guided loss

        ``loss_kg = kg_weight * (1 - mean_c cos(w_c, u_c))``

    between the tuned class text features ``w_c`` and the foundation CLIP's features ``u_c`` of the
    hand-made prompt of the same class (the dataset's template, or ``knowledge_template``), so
    the tuned prompts do not forget what the hand prompt knew about unseen classes.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        prompt_learner (dict, optional): config of the context. Defaults to
            ``dict(type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')``.
        kg_weight (float): weight ``W`` of the knowledge-guided loss (the authors' yaml:
            ``TRAINER.COOP.W: 2.0``). Defaults to 2.0.
        knowledge_template (str, optional): the hand-made template of ``u_c``. None uses the
            first template given by :meth:`set_class_list` (the dataset's, from its metainfo).
            The authors' KgCoOp keeps its own table, which differs from CoOp's for one dataset
            (DTD: ``'a photo of a {}, a type of texture.'``); the DTD config sets it.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    def __init__(self,
                 clip: dict,
                 prompt_learner: Optional[dict] = None,
                 kg_weight: float = 2.0,
                 knowledge_template: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        prompt_learner = prompt_learner or dict(
            type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')
        super().__init__(
            clip=clip,
            prompt_learner=prompt_learner,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        if kg_weight < 0:
            raise ValueError(f'kg_weight must be >= 0, got {kg_weight}.')
        if knowledge_template is not None and knowledge_template.count('{}') != 1:
            raise ValueError(f'knowledge_template must hold one "{{}}" for the class name, got '
                             f'"{knowledge_template}".')
        self.kg_weight = float(kg_weight)
        self.knowledge_template = knowledge_template

    def knowledge_text_feats(self, classnames: Optional[Sequence[str]] = None) -> torch.Tensor:
        """The foundation CLIP's normalized features ``(C, d)`` of the hand-made prompts (cached).

        Args:
            classnames (Sequence[str], optional): defaults to the current class list.

        Returns:
            Tensor: ``u``, one row per class.
        """
        template = self.knowledge_template or (self.templates or ['a photo of a {}.'])[0]
        return self.foundation_text_feats(classnames, [template])

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> Dict[str, torch.Tensor]:
        labels = torch.stack([s.gt_label for s in data_samples]).view(-1).to(inputs.device)
        text_feats = self.text_feats()
        logits = self.logits_from_feats(self.cached_image_feats(inputs, data_samples), text_feats)
        hand_feats = self.knowledge_text_feats().to(text_feats.dtype)
        return {
            'loss_ce': F.cross_entropy(logits, labels),
            'loss_kg': self.kg_weight * knowledge_guided_loss(text_feats, hand_feats),
        }


def knowledge_guided_loss(text_feats: torch.Tensor, hand_feats: torch.Tensor) -> torch.Tensor:
    """``1 - mean_c cos(text_feats[c], hand_feats[c])``, KgCoOp's distance to the hand prompt.

    Args:
        text_feats (Tensor): tuned class text features ``(C, d)``.
        hand_feats (Tensor): hand-prompt class text features ``(C, d)``, same class order.

    Returns:
        Tensor: a scalar in [0, 2].
    """
    if text_feats.shape != hand_feats.shape:
        raise ValueError(f'knowledge_guided_loss needs features of one shape per class, got '
                         f'{tuple(text_feats.shape)} and {tuple(hand_feats.shape)}.')
    # eps as the authors' torch.nn.CosineSimilarity(eps=1e-7)
    return 1.0 - F.cosine_similarity(text_feats, hand_feats, dim=1, eps=1e-7).mean()
