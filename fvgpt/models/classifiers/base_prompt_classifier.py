"""The interface every CLIP prompt-tuning classifier of fvgpt implements.

FVG-PT (``fvgpt.models.fvgpt``) wraps a frozen classifier through this interface alone, so a new
prompt method gets FVG-PT by implementing the abstract methods below; no FVG-PT code changes.
"""
from abc import abstractmethod
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS


class BasePromptClassifier(BaseModel):
    """Base class of CLIP classifiers whose classes are given by text.

    The class list is not fixed at construction: :meth:`set_class_list` (called by
    ``fvgpt.engine.ClassListHook`` when the Runner switches between training, validation and
    testing data, or directly by user code) tells the model which class names and prompt
    templates to score. Logits are ``logit_scale * image_feats @ text_feats.T`` over normalized
    features, as in CLIP.

    Args:
        clip (dict): config of the CLIP wrapper, ``dict(type='OpenCLIP', ...)``.
        data_preprocessor (dict, optional): config of the data preprocessor. Defaults to
            CLIP normalization (``ClsDataPreprocessor`` with CLIP's mean and std, BGR to RGB).
        init_cfg (dict, optional): initialization config.
    """

    #: True when the classifier's image features are the foundation CLIP's (no visual prompt,
    #: untouched image encoder): FVG-PT then reuses them instead of running the encoder twice.
    image_encoder_is_clip: bool = True

    def __init__(self,
                 clip: Union[dict, torch.nn.Module],
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        if data_preprocessor is None:
            data_preprocessor = clip_data_preprocessor()
        if isinstance(data_preprocessor, dict):
            data_preprocessor.setdefault('type', 'mmpretrain.ClsDataPreprocessor')
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.clip = MODELS.build(clip) if isinstance(clip, dict) else clip
        self.classnames: Optional[List[str]] = None
        self.templates: Optional[List[str]] = None
        self.subsample: Optional[str] = None

    # ----------------------------------------------------------------- the plug-in interface
    def set_class_list(self, classnames: Sequence[str],
                       templates: Union[str, Sequence[str]] = 'a photo of a {}.',
                       subsample: Optional[str] = None) -> None:
        """Sets the classes scored from now on, and the hand-made templates of the dataset.

        Args:
            classnames (Sequence[str]): class names, index = label.
            templates (str | Sequence[str]): template(s) with one ``{}`` for the class name.
            subsample (str, optional): which B2N half the classes are (``'base'``, ``'new'`` or
                ``'all'``), from the dataset's metainfo; models with split-specific inference
                (FVG-PT) use it, others ignore it.
        """
        self.classnames = [str(c) for c in classnames]
        self.templates = [templates] if isinstance(templates, str) else list(templates)
        self.subsample = subsample

    def require_class_list(self) -> List[str]:
        if not self.classnames:
            raise RuntimeError(
                f'{type(self).__name__} has no class list: call model.set_class_list(classnames, '
                'templates), or add dict(type="ClassListHook") to custom_hooks so the Runner sets '
                "it from the dataset's metainfo.")
        return self.classnames

    @abstractmethod
    def extract_image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        """L2-normalized image features ``(B, d)`` of normalized images ``(B, 3, H, W)``."""

    @abstractmethod
    def extract_text_feats(self, classnames: Optional[Sequence[str]] = None) -> torch.Tensor:
        """L2-normalized class text features ``(C, d)`` of this method's prompts.

        Args:
            classnames (Sequence[str], optional): defaults to the current class list.
        """

    @property
    def logit_scale(self) -> torch.Tensor:
        """The (exponentiated) logit scale, a scalar tensor."""
        return self.clip.logit_scale

    @property
    def zeroshot_logit_scale(self) -> torch.Tensor:
        """The foundation CLIP's logit scale ``s0`` (of :meth:`zeroshot_text_feats`)."""
        return self.clip.logit_scale

    def zeroshot_text_feats(self, classnames: Optional[Sequence[str]] = None,
                            templates: Optional[Sequence[str]] = None) -> torch.Tensor:
        """Foundation CLIP's class weights ``(C, d)`` from the hand-made templates (cached)."""
        classnames = list(classnames) if classnames is not None else self.require_class_list()
        templates = list(templates) if templates is not None else (self.templates or
                                                                    ['a photo of a {}.'])
        return self.clip.zeroshot_weights(classnames, templates)

    def zeroshot_image_feats(self, inputs: torch.Tensor,
                             image_feats: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Foundation CLIP's image features ``(B, d)``.

        When :attr:`image_encoder_is_clip` and ``image_feats`` (this classifier's own features of
        the same inputs) are given, they are returned as they are: no second encoder pass.
        """
        if self.image_encoder_is_clip and image_feats is not None:
            return image_feats
        with torch.no_grad():
            return self.clip.encode_image(inputs, normalize=True)

    # ----------------------------------------------------------------- mmengine's contract
    def forward(self, inputs: torch.Tensor, data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.logits(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": use "tensor", "loss" or "predict".')

    def logits(self, inputs: torch.Tensor) -> torch.Tensor:
        """Class logits ``(B, C)`` over the current class list."""
        image_feats = self.extract_image_feats(inputs)
        text_feats = self.extract_text_feats()
        return self.logit_scale * image_feats @ text_feats.t()

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> Dict[str, torch.Tensor]:
        labels = torch.stack([s.gt_label for s in data_samples]).view(-1).to(inputs.device)
        return {'loss_ce': F.cross_entropy(self.logits(inputs), labels)}

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        return scores_to_samples(self.logits(inputs), data_samples)


def scores_to_samples(logits: torch.Tensor,
                      data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
    """Wraps class logits into ``DataSample``s with ``pred_score`` (softmax) and ``pred_label``."""
    if data_samples is None:
        data_samples = [DataSample() for _ in range(logits.size(0))]
    scores = F.softmax(logits.float(), dim=1)
    labels = scores.argmax(dim=1, keepdim=True)
    for sample, score, label in zip(data_samples, scores, labels):
        sample.set_pred_score(score).set_pred_label(label)
    return data_samples


# CLIP's normalization constants (open_clip's, RGB in [0, 1]) on mmpretrain's 0-255 scale.
CLIP_MEAN = [v * 255 for v in OPENAI_DATASET_MEAN]
CLIP_STD = [v * 255 for v in OPENAI_DATASET_STD]


def clip_data_preprocessor() -> dict:
    """Config of CLIP's input normalization (images are loaded BGR by mmcv)."""
    return dict(type='mmpretrain.ClsDataPreprocessor', mean=CLIP_MEAN, std=CLIP_STD, to_rgb=True)
