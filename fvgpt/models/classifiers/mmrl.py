"""MMRL: representation tokens in both towers, two image features, split-specific inference."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from ..clip.open_clip_wrapper import format_class_prompt
from ..clip.prompted_transformer import DeepPrompts
from .base_prompt_classifier import BasePromptClassifier

FUSED_SPLITS = {'base': ('base', ), 'always': ('base', 'new', 'all', None), 'never': ()}


@MODELS.register_module()
class MMRL(BasePromptClassifier):
    """MMRL (Guo & Gu, CVPR 2025) as the FVG-PT authors run it (JREion/FVG-PT
    ``trainers/mmrl.py``, ``clip_mmrl/model_mmrl.py``).

    The text side is the dataset's hand-made prompt with the representation tokens
    (:class:`MMRLRepresentationLearner`) inserted after the start-of-text token from the first
    representation layer on. The image side gives two features per image (``K = 2``): the class
    token's (CLIP's projection) and the mean of the representation tokens' outputs (projected by
    the learned ``proj_rep``). Logits use the fixed scale 100, as the authors'. ``v_cls`` scores
    ``z = 100 v_cls w^T``, ``v_rep`` scores ``z_rep = 100 v_rep w^T``; the base classes are scored
    by ``alpha z + (1 - alpha) z_rep``, new classes by ``z`` alone (``fused_inference``).

    Training loss (``MMRL_Loss``): ``alpha CE(z) + (1 - alpha) CE(z_rep)
    + reg_weight (1 - mean cos(v_cls, v0)) + reg_weight (1 - mean cos(w, u))``, with ``v0`` and
    ``u`` the foundation CLIP's image and hand-prompt features.

    Args:
        clip (dict): config of :class:`fvgpt.models.clip.OpenCLIP`.
        representation_learner (dict, optional): config of the tokens. Defaults to
            ``dict(type='MMRLRepresentationLearner')`` (5 tokens, dim 512, layers 6-12).
        alpha (float): weight of the class-token logits in the fusion and the loss. Defaults to
            0.7 (the authors' yaml ``ALPHA``).
        reg_weight (float): weight of each of the two cosine regularizers. Defaults to 1.0
            (``REG_WEIGHT``; the authors' cross-dataset yaml uses 0.2).
        template (str, optional): the hand-made template of the text side and of ``u``. None
            uses the first template given by :meth:`set_class_list` (the dataset's).
        fused_inference (str): which class lists the fusion scores: ``'base'`` (base-to-new,
            ``TASK: B2N``: base -> fusion, new and all -> class token), ``'always'`` (few-shot)
            or ``'never'``. Defaults to ``'base'``.
        logit_scale (float): the fixed logit scale. Defaults to 100.
        data_preprocessor (dict, optional): defaults to CLIP normalization.
        init_cfg (dict, optional): initialization config.
    """

    image_encoder = 'prompted'
    num_image_feats = 2

    def __init__(self,
                 clip: dict,
                 representation_learner: Optional[dict] = None,
                 alpha: float = 0.7,
                 reg_weight: float = 1.0,
                 template: Optional[str] = None,
                 fused_inference: str = 'base',
                 logit_scale: float = 100.0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(clip=clip, data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not 0 <= alpha <= 1:
            raise ValueError(f'alpha must lie in [0, 1], got {alpha}.')
        if fused_inference not in FUSED_SPLITS:
            raise ValueError(f'fused_inference must be one of {sorted(FUSED_SPLITS)}, got '
                             f'"{fused_inference}".')
        if template is not None and template.count('{}') != 1:
            raise ValueError(f'template must hold one "{{}}" for the class name, got "{template}".')
        learner = dict(representation_learner or dict(type='MMRLRepresentationLearner'))
        self.representation_learner = MODELS.build(learner, default_args=dict(clip=self.clip))
        self.alpha = float(alpha)
        self.reg_weight = float(reg_weight)
        self.template = template
        self.fused_inference = fused_inference
        self.register_buffer(
            'fixed_logit_scale', torch.tensor(float(logit_scale)), persistent=False)
        self._text_state_cache: Dict[Tuple, torch.Tensor] = {}

    def invalidate_text_cache(self) -> None:
        super().invalidate_text_cache()
        # and the frozen CLIP's hidden states (e.g. other CLIP weights loaded since)
        getattr(self, '_text_state_cache', {}).clear()

    # ------------------------------------------------------------------ the contract
    @property
    def logit_scale(self) -> torch.Tensor:
        return self.fixed_logit_scale

    def hand_template(self) -> str:
        """The hand-made template of the text side."""
        return self.template or (self.templates or ['a photo of a {}.'])[0]

    def image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        """``(B, 2, d)``: the class-token feature and the representation feature, normalized."""
        _, visual_tokens = self.representation_learner()
        prompts = DeepPrompts(visual_tokens, position=1, in_input=False)
        cls_feats, rep_out = self.clip.encode_image(
            inputs, normalize=True, prompts=prompts, return_prompt_tokens=True)
        ln_post = self.clip.model.visual.ln_post
        proj_rep = self.representation_learner.proj_rep
        rep_feats = ln_post(rep_out).mean(dim=1) @ proj_rep.to(rep_out.dtype)
        return torch.stack([cls_feats, F.normalize(rep_feats, dim=-1).to(cls_feats.dtype)], dim=1)

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        text_tokens, _ = self.representation_learner()
        prompts = DeepPrompts(text_tokens, position=1, in_input=False)
        first = prompts.first_block
        states, eot_indices = self.text_states_before_tokens(classnames, first)
        return self.clip.encode_text_embeddings(
            states, eot_indices, normalize=True, prompts=prompts, begin=first)

    def text_states_before_tokens(self, classnames: Sequence[str],
                                  first: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """The text tower's hidden states of the hand prompts after its blocks before ``first``
        (no representation token enters there), and the prompts' end-of-text positions.

        With a frozen CLIP they are the same at every step (``OpenCLIP.text_hidden_states``), so
        they are computed once per class list, template and device (MMRL's 5 of 12 blocks over
        all C prompts, no longer run at every training step); else on each call.
        """
        template = self.hand_template()
        tokens = self.clip.tokenize([format_class_prompt(template, c) for c in classnames])
        eot_indices = self.clip.eot_indices(tokens)
        device = tokens.device.type
        key = (tuple(classnames), template, first, str(tokens.device),
               torch.is_autocast_enabled(device), torch.get_autocast_dtype(device))
        if self.clip.frozen and key in self._text_state_cache:
            return self._text_state_cache[key], eot_indices
        if first == 0:
            return self.clip.token_embedding(tokens), eot_indices
        states = self.clip.text_hidden_states(self.clip.token_embedding(tokens), eot_indices, first)
        if self.clip.frozen:
            self._text_state_cache.clear()
            self._text_state_cache[key] = states
        return states, eot_indices

    def logits_from_feats(self,
                          image_feats: torch.Tensor,
                          text_feats: torch.Tensor,
                          split: Optional[str] = None,
                          logit_scale: Optional[Union[float, torch.Tensor]] = None) -> torch.Tensor:
        """``z`` for new classes, ``alpha z + (1 - alpha) z_rep`` for base (``fused_inference``)."""
        scale = self.logit_scale if logit_scale is None else logit_scale
        logits = scale * image_feats[:, 0] @ text_feats.t()
        if split not in FUSED_SPLITS[self.fused_inference]:
            return logits
        logits_rep = scale * image_feats[:, 1] @ text_feats.t()
        return self.alpha * logits + (1 - self.alpha) * logits_rep

    # ------------------------------------------------------------------ training
    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> Dict[str, torch.Tensor]:
        labels = torch.stack([s.gt_label for s in data_samples]).view(-1).to(inputs.device)
        # the frozen CLIP's blocks before the representation tokens run once for both passes
        image_feats, clip_image = self.image_and_foundation_feats(inputs)
        clip_image = clip_image.to(image_feats.dtype)
        text_feats = self.text_feats()
        logits = self.logit_scale * image_feats[:, 0] @ text_feats.t()
        logits_rep = self.logit_scale * image_feats[:, 1] @ text_feats.t()
        clip_text = self.foundation_text_feats(templates=[self.hand_template()]).to(
            text_feats.dtype)
        return {
            'loss_ce':
            self.alpha * F.cross_entropy(logits, labels),
            'loss_ce_rep': (1 - self.alpha) * F.cross_entropy(logits_rep, labels),
            'loss_reg_image':
            self.reg_weight *
            (1 - F.cosine_similarity(image_feats[:, 0], clip_image, dim=1).mean()),
            'loss_reg_text':
            self.reg_weight * (1 - F.cosine_similarity(text_feats, clip_text, dim=1).mean()),
        }
