"""FVG-PT: foreground view-guided prompt tuning on top of any frozen prompt-tuned CLIP.

Stage 2 of METHOD.md. FVG-PT *holds* a backbone ``B`` (a :class:`BasePromptClassifier`, e.g.
CoOp, loaded from its stage-1 checkpoint); B and the foundation CLIP stay frozen; only the base
branch (:class:`FDCHead`: two FDC adapters and the Foreground Reliability Gate) and the new branch
(:class:`PriorCalibrationHead`: the Backbone Reliability Gate) are trained. FVG-PT talks to the
backbone through the contract of :class:`BasePromptClassifier` alone (``image_feats``,
``text_feats``, ``logits_from_feats``, ``logit_scale`` and the ``foundation_*`` members).

Backbones whose logits combine several image features (MMRL: class token and representation
tokens, ``K = 2``): ``z_full`` / ``z_fg`` of the base branch are the backbone's base-split logits;
FDC adapts each of the ``K`` image features with the one image adapter (and the text features
with the text adapter) and recombines them with the backbone's own base-split rule at scale
``s_fdc``, so ``z_fdc`` starts at ``z_full`` for every backbone. The new branch mixes the
backbone's new-split logits (how it scores classes it was not tuned on) with ``z_clip``, in
training and at test alike, so the BRG learns on the logits it is applied to. For ``K = 1``
backbones both splits are the same logits, computed once.

Backbones whose class prompts depend on the image (``text_conditioning = 'image'``, CoCoOp):
the class text features are per image, ``(B, C, d)``, computed in each forward from the image
features of that forward, never cached. The foreground view conditions its own prompts
(``z_fg`` scores ``x_fg`` with the text features made from ``x_fg``'s image feature); FDC's
text adapter adapts each image's class features, so ``z_fdc`` again starts at ``z_full``;
``z_clip`` is unchanged (hand-template text, shared by all images).

Which branch scores (``test_branch``):
    ``'base'`` always scores ``z_fdc``, ``'new'`` always ``z_pc``. ``'auto'`` (default) follows
    the ``subsample`` that :class:`ClassListHook` passes from the dataset's metainfo with the
    class list: ``'base'`` -> ``z_fdc``, ``'new'`` -> ``z_pc``. For ``'all'`` (base and new
    classes together) or a class list set without a split, the base branch scores only the very
    class list FVG-PT was trained on (its adapters know no other class); any other list is
    scored by ``z_pc``, the branch built for classes the adapters never saw. So
    ``--cfg-options test_dataloader.dataset.subsample=new`` switches the branch, and
    ``model.test_branch=base`` forces one.

Checkpoints hold the heads and the base class list only: the backbone comes from
``backbone_ckpt`` (loaded at construction, so ``tools/test.py`` needs nothing else), CLIP from
its weights.
"""
import os.path as osp
from functools import partial
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.utils.json_tensor import decode_json_tensor, encode_json_tensor
from ..classifiers.base_prompt_classifier import (CLIP_MEAN, CLIP_STD, BasePromptClassifier,
                                                  scores_to_samples)
from ..utils.frozen_state import freeze, keep_frozen_in_eval
from .frozen_backbone import check_same_normalization
from .functional import foreground_area
from .stage1_checkpoint import load_stage1_checkpoint, stage1_error

BRANCHES = ('auto', 'base', 'new')
FG_PIPELINE_HINT = (
    'FVG-PT training needs the foreground view and mask of each image: the train pipeline must '
    'load the masks (LoadForegroundMask), apply geometric augmentations to image and mask '
    'together, add ForegroundView, and pack them with mmpretrain.PackInputs(algorithm_keys='
    "('img_fg', 'gt_fg_mask', 'fg_mask_valid')); the model's data_preprocessor must be "
    'FVGPTDataPreprocessor. See configs/fvgpt/.')


@MODELS.register_module()
class FVGPT(BaseModel):
    """FVG-PT around a frozen backbone classifier.

    Args:
        backbone (dict | BasePromptClassifier): the stage-1 classifier (its config, as in the
            stage-1 config's ``model``).
        backbone_ckpt (str, optional): the stage-1 checkpoint, or the stage-1 work dir (its
            ``last_checkpoint``, or its best validation epoch's when stage 1 selected one).
            ``'auto'``: the default work dir of ``stage1_config``, ``work_dirs/<its file name>``,
            where ``tools/train.py <stage1_config>`` writes. None uses the backbone as built
            (e.g. zero-shot CLIP, which has nothing tuned). Missing or unfit checkpoints raise
            with the stage-1 command.
        stage1_config (str, optional): the stage-1 config, named in those errors.
        base_head (dict): the base branch. Defaults to ``dict(type='FDCHead')``.
        new_head (dict): the new branch. Defaults to ``dict(type='PriorCalibrationHead')``.
        test_branch (str): ``'auto'``, ``'base'`` or ``'new'`` (see the module docstring).
            Defaults to ``'auto'``.
        data_preprocessor (dict, optional): defaults to :class:`FVGPTDataPreprocessor` with
            CLIP's normalization; it must normalize as the backbone's does.
        init_cfg (dict, optional): initialization config of the heads.
    """

    def __init__(self,
                 backbone: Union[dict, BasePromptClassifier],
                 backbone_ckpt: Optional[str] = None,
                 stage1_config: Optional[str] = None,
                 base_head: Optional[dict] = None,
                 new_head: Optional[dict] = None,
                 test_branch: str = 'auto',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if test_branch not in BRANCHES:
            raise ValueError(f'test_branch must be one of {BRANCHES}, got "{test_branch}".')
        backbone = MODELS.build(backbone) if isinstance(backbone, dict) else backbone
        if not isinstance(backbone, BasePromptClassifier):
            raise TypeError(f'The FVG-PT backbone must be a BasePromptClassifier, got '
                            f'{type(backbone).__name__}.')
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='FVGPTDataPreprocessor', mean=CLIP_MEAN, std=CLIP_STD, to_rgb=True)
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        check_same_normalization(self.data_preprocessor, backbone.data_preprocessor)
        if backbone_ckpt == 'auto':
            if not stage1_config:
                raise ValueError("backbone_ckpt='auto' means stage 1's default work dir, which "
                                 'needs model.stage1_config (the stage-1 config file).')
            backbone_ckpt = osp.join('work_dirs', osp.splitext(osp.basename(stage1_config))[0])
        self.backbone_ckpt = backbone_ckpt
        self.stage1_config = stage1_config
        self.test_branch = test_branch
        #: Classes of the base branch: stage 1's training classes, else stage 2's.
        self.base_classnames: Optional[List[str]] = None
        if backbone_ckpt:
            self.base_classnames = load_stage1_checkpoint(backbone, backbone_ckpt, stage1_config)
        # Frozen: no gradient, eval mode, and out of this model's checkpoints (it comes from
        # backbone_ckpt), by the same mechanism that keeps CLIP out of every model's.
        self.backbone = freeze(backbone)
        base_head = dict(base_head or dict(type='FDCHead'))
        if 'logit_scale' in base_head and base_head['logit_scale'] is None:
            base_head['logit_scale'] = float(self.backbone.logit_scale)  # s_fdc = s
        self.base_head = MODELS.build(
            base_head, default_args=dict(feat_dim=self.backbone.clip.embed_dim))
        self.new_head = MODELS.build(new_head or dict(type='PriorCalibrationHead'))
        self._text_cache: Dict[tuple, torch.Tensor] = {}
        self.register_load_state_dict_post_hook(lambda module, keys: module._text_cache.clear())

    # ------------------------------------------------------------------ module state
    def train(self, mode: bool = True) -> 'FVGPT':
        super().train(mode)
        keep_frozen_in_eval(self)  # the backbone: dropout off whatever the Runner does
        return self

    def init_weights(self) -> None:
        """Initializes the heads only: the backbone holds CLIP's and stage 1's weights."""
        self.base_head.init_weights()
        self.new_head.init_weights()

    def get_extra_state(self) -> torch.Tensor:
        return encode_json_tensor(dict(base_classnames=list(self.base_classnames or [])))

    def set_extra_state(self, state: torch.Tensor) -> None:
        state = decode_json_tensor(state)
        saved = list(state.get('base_classnames') or [])
        if saved and self.base_classnames and saved != self.base_classnames:
            raise ValueError(
                'This FVG-PT checkpoint was trained on other base classes than the stage-1 '
                f'checkpoint of the config ({self.backbone_ckpt}): checkpoint '
                f'{_preview(saved)}, stage 1 {_preview(self.base_classnames)}.')
        self.base_classnames = saved or self.base_classnames

    # ------------------------------------------------------------------ feature cache
    def use_feature_cache(self, cache, pipeline: Optional[str] = None) -> None:
        """The backbone's feature cache (:meth:`BasePromptClassifier.use_feature_cache`): the
        features of ``x`` are read from it when the backbone's image encoder is CLIP's, and the
        prompt-free CLIP features of ``x`` (``z_clip``) when it is prompted; those of the
        foreground view ``x_fg`` are always computed (they depend on the mask file too)."""
        self.backbone.use_feature_cache(cache, pipeline)

    @property
    def feature_cache(self):
        """The cache the backbone's features of ``x`` come from now, or None."""
        return self.backbone.feature_cache

    def feature_cache_lookup(self):
        """The backbone's :meth:`BasePromptClassifier.feature_cache_lookup`."""
        return self.backbone.feature_cache_lookup()

    # ------------------------------------------------------------------ class lists
    def set_class_list(self,
                       classnames: Sequence[str],
                       templates: Union[str, Sequence[str]] = 'a photo of a {}.',
                       subsample: Optional[str] = None) -> None:
        """Sets the scored classes, the dataset's templates and its B2N half (see
        :meth:`BasePromptClassifier.set_class_list`); the backbone holds them."""
        self.backbone.set_class_list(classnames, templates, subsample)

    @property
    def classnames(self) -> Optional[List[str]]:
        return self.backbone.classnames

    @property
    def templates(self) -> Optional[List[str]]:
        return self.backbone.templates

    @property
    def subsample(self) -> Optional[str]:
        return self.backbone.subsample

    def require_class_list(self) -> List[str]:
        return self.backbone.require_class_list()

    def scoring_branch(self) -> str:
        """``'base'`` (``z_fdc``) or ``'new'`` (``z_pc``) for the current class list."""
        if self.test_branch != 'auto':
            return self.test_branch
        if self.subsample in ('base', 'new'):
            return self.subsample
        classnames = self.require_class_list()
        if self.base_classnames is None:
            raise RuntimeError(
                "test_branch='auto' cannot tell whether the class list is the base classes: "
                'this FVG-PT model knows no base classes (no stage-1 checkpoint with dataset '
                'metainfo, no training, no stage-2 checkpoint). Set model.test_branch to '
                '"base" or "new", or pass subsample to set_class_list.')
        return 'base' if classnames == self.base_classnames else 'new'

    def _check_training_classes(self, classnames: List[str]) -> None:
        # B2N trains on the base half; the all-class protocols (domain generalization,
        # cross-dataset, few-shot) on every class of the source. Never on the new half.
        if self.subsample not in (None, 'base', 'all'):
            raise ValueError(f"FVG-PT's stage 2 trains on the base classes (B2N) or on all "
                             f"classes (DG, cross-dataset, few-shot), never on the new half; "
                             f"the training set has subsample='{self.subsample}'.")
        if self.base_classnames is None:
            self.base_classnames = list(classnames)
            MMLogger.get_current_instance().info(
                f'FVG-PT: base classes ({len(classnames)}) taken from the training set.')
        elif classnames != self.base_classnames:
            message = (f'The backbone was tuned on other classes than this stage-2 run trains '
                       f'on: stage 1 {_preview(self.base_classnames)}, stage 2 '
                       f'{_preview(classnames)}.')
            if self.backbone_ckpt:
                raise stage1_error(message, self.backbone_ckpt, self.stage1_config)
            raise ValueError(message)

    # ------------------------------------------------------------------ frozen features
    def _prompt_text_feats(self, classnames: List[str], image_feats: torch.Tensor,
                           device: torch.device) -> torch.Tensor:
        """The backbone's class text features without gradient: ``(C, d)`` computed once per
        class list, or, for image-conditioned prompts, ``(B, C, d)`` from ``image_feats`` on
        every call (per-image text is never cached)."""
        if self.backbone.text_conditioning == 'image':
            with torch.no_grad():
                return self.backbone.text_feats(classnames, image_feats=image_feats)
        return self._frozen_text_feats('prompt', classnames, device)

    def _frozen_text_feats(self, kind: str, classnames: List[str],
                           device: torch.device) -> torch.Tensor:
        """Backbone (``'prompt'``) or hand-template (``'hand'``) text features, computed once
        per class list, templates and device."""
        templates = tuple(self.templates or ())
        key = (kind, tuple(classnames), templates if kind == 'hand' else (), str(device))
        if key not in self._text_cache:
            with torch.no_grad():
                if kind == 'prompt':
                    feats = self.backbone.text_feats(classnames)
                else:
                    feats = self.backbone.foundation_text_feats(classnames, list(templates) or None)
            self._text_cache[key] = feats.detach().to(device)
        return self._text_cache[key]

    def _clip_logits(self, clip_feats: torch.Tensor, classnames: List[str]) -> torch.Tensor:
        """``z_clip`` of the foundation CLIP from its image features ``clip_feats``."""
        with torch.no_grad():
            hand = self._frozen_text_feats('hand', classnames, clip_feats.device)
            return (self.backbone.foundation_logit_scale *
                    clip_feats.float() @ hand.float().t()).float()

    def _backbone_logits(self, image_feats: torch.Tensor, text_feats: torch.Tensor,
                         split: str) -> torch.Tensor:
        """The backbone's own logits of ``split`` from its (frozen) features."""
        return self.backbone.logits_from_feats(
            image_feats.float(), text_feats.float(), split=split).float()

    def _fdc_rule(self):
        """The backbone's base-split logit rule, for FDC's adapted features at scale s_fdc."""
        return partial(_combine, self.backbone)

    # ------------------------------------------------------------------ forward
    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor',
                **fg_data):
        """mmengine's forward; ``fg_data`` (``fg_inputs``, ``fg_masks``, ``fg_valid`` from
        :class:`FVGPTDataPreprocessor`) is used by ``'loss'`` only."""
        if mode == 'loss':
            return self.loss(inputs, data_samples, **fg_data)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.logits(inputs)
        raise RuntimeError(f'Invalid mode "{mode}": use "tensor", "loss" or "predict".')

    def branch_outputs(self,
                       inputs: torch.Tensor,
                       branch: Optional[str] = None,
                       data_samples: Optional[List[DataSample]] = None) -> Dict[str, torch.Tensor]:
        """Logits of one branch and what it is made of; nothing of the other branch is computed.
        ``data_samples`` name the images for the backbone's feature cache.

        Returns:
            dict: ``logits`` (the branch's, ``(B, C)``), and ``logits_fdc`` (base) or
            ``logits_pc``, ``logits_full``, ``logits_clip`` and ``gate_b`` (new).
        """
        branch = branch or self.scoring_branch()
        classnames = self.require_class_list()
        with torch.no_grad():
            if branch == 'base':
                feats = self.backbone.cached_image_feats(inputs, data_samples)
            else:
                feats, clip_feats = self.backbone.image_and_foundation_feats(
                    inputs, data_samples=data_samples)
            text = self._prompt_text_feats(classnames, feats, inputs.device)
        if branch == 'base':
            z_fdc = self.base_head.logits(feats, text, self._fdc_rule()).float()
            return dict(logits=z_fdc, logits_fdc=z_fdc)
        z_full = self._backbone_logits(feats, text, 'new')
        z_clip = self._clip_logits(clip_feats, classnames)
        z_pc, b = self.new_head.logits(z_full, z_clip)
        return dict(logits=z_pc, logits_pc=z_pc, logits_full=z_full, logits_clip=z_clip, gate_b=b)

    def logits(self, inputs: torch.Tensor) -> torch.Tensor:
        """Logits ``(B, C)`` of the scoring branch over the current class list."""
        return self.branch_outputs(inputs)['logits']

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Predictions of the scoring branch; each sample keeps that branch's logits (and
        ``gate_b``) and its name in the metainfo ``branch``. Masks are never used."""
        branch = self.scoring_branch()
        outputs = self.branch_outputs(inputs, branch, data_samples)
        samples = scores_to_samples(outputs.pop('logits'), data_samples)
        for i, sample in enumerate(samples):
            sample.set_field(branch, 'branch', field_type='metainfo')
            for name, value in outputs.items():
                sample.set_field(value[i].detach(), name)
        return samples

    def loss(self,
             inputs: torch.Tensor,
             data_samples: List[DataSample],
             fg_inputs: Optional[torch.Tensor] = None,
             fg_masks: Optional[torch.Tensor] = None,
             fg_valid: Optional[torch.Tensor] = None) -> Dict[str, torch.Tensor]:
        """``L = L_ce + lambda_d L_dist + lambda_rg L_gate + lambda_n L_new`` on base classes.

        Returns:
            dict: ``loss_ce``, ``loss_dist``, ``loss_gate``, ``loss_new`` (weighted; mmengine
            sums the keys containing "loss") and the batch means ``gate_r``, ``gate_b``,
            ``gate_r_target`` and ``fg_reliable``, logged but not summed.
        """
        if fg_inputs is None or fg_masks is None:
            raise ValueError(FG_PIPELINE_HINT)
        classnames = self.require_class_list()
        self._check_training_classes(classnames)
        labels = torch.cat([s.gt_label.view(-1) for s in data_samples]).to(inputs.device)
        frozen = self.frozen_outputs(inputs, fg_inputs, data_samples)
        area = foreground_area(fg_masks)
        base_losses, base_stats = self.base_head.loss(frozen['v'], frozen['text'], frozen['z_full'],
                                                      frozen['z_fg'], area, fg_valid, labels,
                                                      self._fdc_rule())
        new_losses, new_stats = self.new_head.loss(frozen['z_full_new'], frozen['z_clip'], labels)
        return {**base_losses, **new_losses, **base_stats, **new_stats}

    def frozen_outputs(self,
                       inputs: torch.Tensor,
                       fg_inputs: torch.Tensor,
                       data_samples: Optional[List[DataSample]] = None) -> Dict[str, torch.Tensor]:
        """What the frozen backbone and CLIP give the heads in training, without gradient, over
        the current class list (the analyses read the gates' inputs from here too).

        Args:
            inputs (Tensor): normalized images ``x`` ``(B, 3, H, W)``.
            fg_inputs (Tensor): their normalized foreground views ``x_fg``.
            data_samples (list[DataSample], optional): name the images for the feature cache.

        Returns:
            dict: ``v`` (image features of ``x``), ``text`` (class text features, ``(C, d)``
            or per image ``(B, C, d)``), the base-split logits ``z_full`` and ``z_fg``,
            ``z_full_new`` (the new-split logits of ``x``, what the new branch mixes) and
            ``z_clip``.
        """
        classnames = self.require_class_list()
        num = inputs.size(0)
        with torch.no_grad():
            # both views, with the foundation CLIP's features of x (sharing what the passes
            # can share; x from the feature cache where the backbone has one)
            feats, clip_feats = self.backbone.image_and_foundation_feats(
                torch.cat([inputs, fg_inputs]), num, data_samples)
            v, v_fg = feats[:num], feats[num:]
            text = text_fg = self._prompt_text_feats(classnames, feats, inputs.device)
            if text.dim() == 3:  # per image: x_fg's prompts are conditioned on x_fg itself
                text, text_fg = text[:num], text[num:]
            z_full = self._backbone_logits(v, text, 'base')
            z_fg = self._backbone_logits(v_fg, text_fg, 'base')
            z_full_new = (
                z_full if self.backbone.num_image_feats == 1 else self._backbone_logits(
                    v, text, 'new'))
            z_clip = self._clip_logits(clip_feats, classnames)
        return dict(v=v, text=text, z_full=z_full, z_fg=z_fg, z_full_new=z_full_new, z_clip=z_clip)


def _combine(backbone: BasePromptClassifier, image_feats: torch.Tensor, text_feats: torch.Tensor,
             logit_scale: float) -> torch.Tensor:
    return backbone.logits_from_feats(
        image_feats, text_feats, split='base', logit_scale=logit_scale)


def _preview(names: Sequence[str], count: int = 4) -> str:
    names = list(names)
    head = ', '.join(names[:count]) + (', ...' if len(names) > count else '')
    return f'{len(names)} classes [{head}]'
