"""PromptSRC: IVLP prompts trained with self-regularizing constraints toward the frozen CLIP."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample
from open_clip.zero_shot_metadata import OPENAI_IMAGENET_TEMPLATES

from fvgpt.registry import MODELS
from ..clip.open_clip_wrapper import format_class_prompt
from .ivlp import IVLP

_OPENAI_TEMPLATES = [template('{}') for template in OPENAI_IMAGENET_TEMPLATES]
#: The 60 templates whose text features PromptSRC's teacher averages (the authors'
#: ``trainers/imagenet_templates.py`` ``IMAGENET_TEMPLATES``): the first 60 of CLIP's 80 ImageNet
#: templates, with "a photo of a {}." (the 40th) moved to the front.
PROMPTSRC_TEMPLATES: Tuple[str, ...] = tuple([_OPENAI_TEMPLATES[39]] + _OPENAI_TEMPLATES[:39] +
                                             _OPENAI_TEMPLATES[40:60])


@MODELS.register_module()
class PromptSRC(IVLP):
    """PromptSRC (Khattak et al., "Self-regulating Prompts: Foundational Model Adaptation without
    Forgetting", ICCV 2023) as the FVG-PT authors run it (JREion/FVG-PT ``trainers/promptsrc.py``).

    The prompts and the inference are IVLP's (:class:`IVLP`: text and vision prompts, 4 + 4 tokens
    to depth 9 in the authors' recipe). Training adds the mutual-agreement losses with the frozen
    CLIP:

    - ``loss_scl_text = text_weight * L1(w, t)``: ``w`` the prompted class text features, ``t`` the
      frozen CLIP's text features averaged (before normalization) over the 60 ImageNet templates
      of :data:`PROMPTSRC_TEMPLATES`, then normalized;
    - ``loss_scl_image = image_weight * L1(v, v0)``: ``v`` the prompted image features, ``v0`` the
      frozen CLIP's;
    - ``loss_scl_logits = sum KL(softmax(z0) || softmax(z)) / (B C)`` with ``z = s v w^T`` and
      ``z0 = s v0 t^T`` (the authors divide the summed KL by the number of logits, not by ``B``).

    L1 is the mean absolute difference over all entries. The Gaussian prompt aggregation over
    epochs is :class:`fvgpt.engine.hooks.GaussianPromptAggregationHook` (in the configs).

    Args:
        text_weight (float): weight of the text L1 loss. Defaults to 25 (``TEXT_LOSS_WEIGHT``).
        image_weight (float): weight of the image L1 loss. Defaults to 10
            (``IMAGE_LOSS_WEIGHT``).
        teacher_templates (Sequence[str], optional): the templates averaged by the text teacher.
            Defaults to :data:`PROMPTSRC_TEMPLATES`.
        **kwargs: the arguments of :class:`IVLP` (``clip``, ``prompt_learner``, ...).
    """

    def __init__(self,
                 text_weight: float = 25.0,
                 image_weight: float = 10.0,
                 teacher_templates: Optional[Sequence[str]] = None,
                 **kwargs):
        super().__init__(**kwargs)
        templates = list(teacher_templates or PROMPTSRC_TEMPLATES)
        bad = [t for t in templates if t.count('{}') != 1]
        if bad:
            raise ValueError(f'Every teacher template must hold one "{{}}" for the class name: '
                             f'{bad}.')
        self.text_weight = float(text_weight)
        self.image_weight = float(image_weight)
        self.teacher_templates = templates
        self._teacher_cache: Dict[Tuple, torch.Tensor] = {}

    @torch.no_grad()
    def teacher_text_feats(self,
                           classnames: Optional[Sequence[str]] = None,
                           chunk_size: int = 1024) -> torch.Tensor:
        """The frozen CLIP's text features ``(C, d)`` averaged over the teacher templates.

        As the authors: the unnormalized features of each template are averaged, then the mean is
        normalized (CLIP's zero-shot weights average normalized features instead). Computed
        once per class list and device.
        """
        classnames = list(classnames) if classnames is not None else self.require_class_list()
        device = self._device()
        key = (tuple(classnames), tuple(self.teacher_templates), str(device))
        if key not in self._teacher_cache:
            self._teacher_cache.clear()
            prompts = [
                format_class_prompt(t, c) for c in classnames for t in self.teacher_templates
            ]
            feats = torch.cat([
                self.clip.encode_text(
                    self.clip.tokenize(prompts[i:i + chunk_size]), normalize=False).float()
                for i in range(0, len(prompts), chunk_size)
            ])
            feats = feats.view(len(classnames), len(self.teacher_templates), -1).mean(dim=1)
            self._teacher_cache[key] = F.normalize(feats, dim=-1)
        return self._teacher_cache[key]

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> Dict[str, torch.Tensor]:
        labels = torch.stack([s.gt_label for s in data_samples]).view(-1).to(inputs.device)
        image_feats = self.image_feats(inputs)
        text_feats = self.text_feats()
        logits = self.logits_from_feats(image_feats, text_feats)
        teacher_text = self.teacher_text_feats().to(text_feats.dtype)
        teacher_image = self.foundation_image_feats(inputs).to(image_feats.dtype)
        teacher_logits = self.logit_scale * teacher_image @ teacher_text.t()
        kl = F.kl_div(
            F.log_softmax(logits.float(), dim=1),
            F.log_softmax(teacher_logits.float(), dim=1),
            reduction='sum',
            log_target=True) / logits.numel()
        return {
            'loss_ce': F.cross_entropy(logits, labels),
            'loss_scl_text': self.text_weight * F.l1_loss(text_feats, teacher_text),
            'loss_scl_image': self.image_weight * F.l1_loss(image_feats[:, 0], teacher_image),
            'loss_scl_logits': kl,
        }
