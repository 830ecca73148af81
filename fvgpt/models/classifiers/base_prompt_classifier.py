"""The backbone contract: what every CLIP prompt-tuning classifier of fvgpt implements.

FVG-PT (``fvgpt.models.fvgpt.FVGPT``) holds a frozen classifier of this class and uses the
methods of the "contract" section below and nothing else, so a new prompt method gets FVG-PT by
subclassing this class; no FVG-PT code changes. ``docs/backbone_contract.md`` describes it.

A subclass declares :attr:`image_encoder` (no default: a missing declaration fails at
construction) and implements :meth:`encode_class_text` (and :meth:`image_feats` when its image
tower carries prompts). A method whose class prompts depend on the image (CoCoOp) declares
``text_conditioning = 'image'``: its class text features are per image, ``(B, C, d)``. The
foundation CLIP's features (:meth:`foundation_image_feats`, :meth:`foundation_text_feats`,
:attr:`foundation_logit_scale`) are computed here, from the frozen CLIP wrapper called without
prompts, and may not be overridden: deep prompts are call arguments of the wrapper, never stored
in it, so these passes are prompt-free by construction.
"""
import json
from abc import abstractmethod
from functools import partial
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample
from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD

from fvgpt.registry import MODELS
from fvgpt.utils.json_tensor import decode_json_tensor, encode_json_tensor
from ..utils.cache_hit_pipeline import CARRIED_FEAT, STAND_IN_KEY, sample_meta
from ..utils.frozen_state import keep_frozen_in_eval
from ..utils.image_feature_cache import ImageFeatureCache

#: How a backbone's image features relate to the foundation CLIP's (see ``image_encoder``).
IMAGE_ENCODERS = ('clip', 'prompted')
#: Whether a backbone's class text features depend on the image (see ``text_conditioning``).
TEXT_CONDITIONINGS = ('none', 'image')
#: Attributes of the CLIP wrapper that name its weights in every backbone's recipe: the model and
#: a hash of its frozen weights (a prompt tuned on other weights of the same model does not fit).
CLIP_RECIPE_ATTRS = ('model_name', 'weights_sha256')
#: Contract methods computed from the frozen, prompt-free CLIP only; subclasses keep them.
FOUNDATION_MEMBERS = ('foundation_image_feats', 'foundation_text_feats', 'foundation_logit_scale',
                      'text_feats', 'cached_image_feats', 'feature_cache_encoder',
                      'feature_cache_lookup', 'image_and_foundation_feats')


class BasePromptClassifier(BaseModel):
    """Base class of CLIP classifiers whose classes are given by text, and FVG-PT's backbones.

    The class list is not fixed at construction: :meth:`set_class_list` (called by
    ``fvgpt.engine.ClassListHook`` when the Runner switches between training, validation and
    testing data, or directly by user code) tells the model which class names and prompt
    templates to score.

    Class attributes a subclass sets:
        image_encoder (str): REQUIRED. ``'clip'``: the image tower is CLIP's, untouched (prompts on
            the text side only: CoOp, KgCoOp, zero-shot CLIP); :meth:`image_feats` is this class's
            and may not be overridden, and FVG-PT reuses the features as the foundation CLIP's.
            ``'prompted'``: the image tower carries prompts or extra tokens (IVLP, PromptSRC,
            MMRL); the subclass implements :meth:`image_feats`, and the foundation features come
            from a separate prompt-free pass.
        num_image_feats (int): ``K``, the image features per image that :meth:`logits_from_feats`
            combines (MMRL: 2, class token and representation tokens). Defaults to 1.
        text_conditioning (str): ``'none'`` (default): the class text features ``(C, d)`` depend
            on the class list only and are cached. ``'image'``: they are computed from each
            image's features (CoCoOp's meta-net shifts the context per image), ``(B, C, d)``,
            :meth:`encode_class_text` takes ``image_feats``, and nothing is cached.

    Args:
        clip (dict | nn.Module): config of the CLIP wrapper, ``dict(type='OpenCLIP', ...)``.
        data_preprocessor (dict, optional): config of the data preprocessor. Defaults to
            CLIP normalization (``ClsDataPreprocessor`` with CLIP's mean and std, BGR to RGB).
        init_cfg (dict, optional): initialization config.
    """

    num_image_feats: int = 1
    text_conditioning: str = 'none'

    def __init__(self,
                 clip: Union[dict, torch.nn.Module],
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        check_declarations(type(self))
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
        self._text_cache: Dict[Tuple, torch.Tensor] = {}
        self._feature_cache: Optional[ImageFeatureCache] = None
        self._foundation_cache: Optional[ImageFeatureCache] = None
        self._feature_pipeline: Optional[str] = None
        # loaded weights are new prompts
        self.register_load_state_dict_post_hook(lambda module, keys: module.invalidate_text_cache())

    def invalidate_text_cache(self) -> None:
        """Forgets the cached text features of :meth:`text_feats`.

        Called on every ``train()`` / ``eval()`` switch (mmengine's loops switch before each
        validation and test, so optimizer steps taken in training are seen), on
        :meth:`set_class_list` and after ``load_state_dict``. Code that changes the tuned
        parameters in place otherwise (e.g. a hook averaging prompts) calls it.
        """
        self._text_cache.clear()

    def train(self, mode: bool = True) -> 'BasePromptClassifier':
        super().train(mode)
        keep_frozen_in_eval(self)
        self.invalidate_text_cache()
        return self

    # ----------------------------------------------------------------- class lists
    def set_class_list(self,
                       classnames: Sequence[str],
                       templates: Union[str, Sequence[str]] = 'a photo of a {}.',
                       subsample: Optional[str] = None) -> None:
        """Sets the classes scored from now on, and the hand-made templates of the dataset.

        Args:
            classnames (Sequence[str]): class names, index = label.
            templates (str | Sequence[str]): template(s) with one ``{}`` for the class name.
            subsample (str, optional): which B2N half the classes are (``'base'``, ``'new'`` or
                ``'all'``), from the dataset's metainfo; it is the ``split`` of
                :meth:`logits_from_feats` for methods whose base and new logits differ (MMRL).
        """
        self.classnames = [str(c) for c in classnames]
        self.templates = [templates] if isinstance(templates, str) else list(templates)
        self.subsample = subsample
        self.invalidate_text_cache()

    def require_class_list(self) -> List[str]:
        if not self.classnames:
            raise RuntimeError(
                f'{type(self).__name__} has no class list: call model.set_class_list(classnames, '
                'templates), or add dict(type="ClassListHook") to custom_hooks so the Runner sets '
                "it from the dataset's metainfo.")
        return self.classnames

    # ----------------------------------------------------------------- the contract
    def image_feats(self, inputs: torch.Tensor) -> torch.Tensor:
        """L2-normalized image features ``(B, K, d)`` of normalized images ``(B, 3, H, W)``.

        ``K`` = :attr:`num_image_feats`. This default (``image_encoder = 'clip'``) is CLIP's
        image feature under ``no_grad`` (the tower is frozen and carries no prompt).
        """
        with torch.no_grad():
            return self.clip.encode_image(inputs, normalize=True).unsqueeze(1)

    @abstractmethod
    def encode_class_text(self,
                          classnames: Sequence[str],
                          image_feats: Optional[torch.Tensor] = None) -> torch.Tensor:
        """L2-normalized class text features of this method's prompts (with gradient when its
        prompts train).

        ``text_conditioning = 'none'``: ``(C, d)``, called as ``encode_class_text(classnames)``
        (such methods may leave ``image_feats`` out of their signature); :meth:`text_feats`
        caches them when no gradient is needed. ``'image'``: ``(B, C, d)`` from the image
        features ``(B, K, d)``, never cached.
        """

    def text_feats(self,
                   classnames: Optional[Sequence[str]] = None,
                   image_feats: Optional[torch.Tensor] = None) -> torch.Tensor:
        """L2-normalized class text features (default: the current class list).

        Args:
            classnames (Sequence[str], optional): defaults to the current class list.
            image_feats (Tensor, optional): :meth:`image_feats` of the images scored, ``(B, K,
                d)``. Required when ``text_conditioning = 'image'`` (the result is then
                ``(B, C, d)``, computed on each call); ignored otherwise, so callers pass it
                whatever the backbone.

        Returns:
            Tensor: ``(C, d)``, or ``(B, C, d)`` for image-conditioned text. Unconditioned
            features without gradient are computed once and cached until
            :meth:`invalidate_text_cache` (a ``train()`` / ``eval()`` switch, a new class list,
            a ``load_state_dict``), and per device.
        """
        classnames = list(classnames) if classnames is not None else self.require_class_list()
        if self.text_conditioning == 'image':
            if image_feats is None:
                raise ValueError(
                    f"{type(self).__name__}'s class prompts depend on the image "
                    "(text_conditioning='image'): pass image_feats, the image_feats() of the "
                    'images scored, to text_feats.')
            return self.encode_class_text(classnames, image_feats)
        tuned = self._tuned_tensors()
        if torch.is_grad_enabled() and any(t.requires_grad for t in tuned):
            return self.encode_class_text(classnames)
        key = (tuple(classnames), tuple(self.templates or ()), str(self._device()))
        if key not in self._text_cache:
            self._text_cache.clear()
            with torch.no_grad():
                self._text_cache[key] = self.encode_class_text(classnames)
        return self._text_cache[key]

    def logits_from_feats(self,
                          image_feats: torch.Tensor,
                          text_feats: torch.Tensor,
                          split: Optional[str] = None,
                          logit_scale: Optional[Union[float, torch.Tensor]] = None) -> torch.Tensor:
        """This method's logits ``(B, C)`` from its own features, as it scores ``split``.

        Args:
            image_feats (Tensor): :meth:`image_feats` output ``(B, K, d)`` (or adapted copies).
            text_feats (Tensor): :meth:`text_feats` output ``(C, d)``, or ``(B, C, d)`` per
                image (image-conditioned text; or adapted copies).
            split (str, optional): ``'base'``, ``'new'`` or ``'all'``/None. Methods whose
                logits combine several features override this (MMRL); the default ignores it.
            logit_scale (float | Tensor, optional): replaces :attr:`logit_scale` (FVG-PT's
                ``s_fdc``).
        """
        scale = self.logit_scale if logit_scale is None else logit_scale
        return class_scores(scale * image_feats[:, 0], text_feats)

    @property
    def logit_scale(self) -> torch.Tensor:
        """The method's (exponentiated) logit scale ``s``, a scalar tensor."""
        return self.clip.logit_scale

    @property
    def foundation_logit_scale(self) -> torch.Tensor:
        """The foundation CLIP's logit scale ``s0``."""
        return self.clip.logit_scale

    def foundation_text_feats(self,
                              classnames: Optional[Sequence[str]] = None,
                              templates: Optional[Sequence[str]] = None) -> torch.Tensor:
        """Foundation CLIP's class weights ``(C, d)`` from hand-made templates (cached by the
        CLIP wrapper; default: the current class list and templates)."""
        classnames = list(classnames) if classnames is not None else self.require_class_list()
        templates = list(templates) if templates else (self.templates or ['a photo of a {}.'])
        return self.clip.zeroshot_weights(classnames, templates)

    def foundation_image_feats(self,
                               inputs: torch.Tensor,
                               image_feats: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Foundation CLIP's image features ``(B, d)``, prompt-free whatever this method injects.

        With ``image_encoder = 'clip'`` and ``image_feats`` (this classifier's own features of
        the same inputs) they are reused: no second encoder pass. Otherwise the frozen CLIP
        runs once more without prompts, under ``no_grad``.
        """
        if self.image_encoder == 'clip' and image_feats is not None:
            return image_feats[:, 0]
        with torch.no_grad():
            return self.clip.encode_image(inputs, normalize=True)

    # ----------------------------------------------------------------- image feature cache
    def use_feature_cache(self,
                          cache: Optional[ImageFeatureCache],
                          pipeline: Optional[str] = None) -> None:
        """Serves :meth:`cached_image_feats` from ``cache`` for inputs made by the
        deterministic pipeline whose key is ``pipeline`` (``fvgpt.datasets.pipeline_identity``);
        ``cache=None`` or ``pipeline=None`` turns it off. An ``image_encoder = 'clip'``
        backbone's image features are the frozen, prompt-free CLIP's: they are cached. A
        ``'prompted'`` one's are not (:attr:`feature_cache` stays None); only the prompt-free
        CLIP features that :meth:`image_and_foundation_feats` computes beside them (FVG-PT's
        ``z_clip``) are, under the same keys as a ``'clip'`` backbone's features on the same
        CLIP. With a CLIP that is not frozen this is a no-op.
        ``fvgpt.engine.FeatureCacheHook`` calls it."""
        # a CLIP that trains (frozen=False) changes its features: its weights hash is kept
        usable = (
            cache is not None and pipeline is not None and getattr(self.clip, 'frozen', False))
        self._feature_cache = cache if usable and self.image_encoder == 'clip' else None
        self._foundation_cache = cache if usable else None
        self._feature_pipeline = pipeline if usable else None

    @property
    def feature_cache(self) -> Optional[ImageFeatureCache]:
        """The cache :meth:`cached_image_feats` uses now, or None."""
        return self._feature_cache

    def feature_cache_encoder(self) -> Optional[str]:
        """What identifies this backbone's (CLIP's) image encoder for the feature cache: the
        model name, the SHA-256 of its weights and the input normalization of the data
        preprocessor; None when the CLIP wrapper has no weights hash (nothing is cached)."""
        sha = getattr(self.clip, 'weights_sha256', None)
        if sha is None:
            return None
        pre = self.data_preprocessor
        norm = {
            name: getattr(pre, name).flatten().tolist()
            for name in ('mean', 'std') if isinstance(getattr(pre, name, None), torch.Tensor)
        }
        norm['to_rgb'] = bool(getattr(pre, '_channel_conversion', False))
        norm['normalize'] = bool(getattr(pre, '_enable_normalize', False))
        return json.dumps(
            dict(model=getattr(self.clip, 'model_name', None), sha256=sha, input=norm),
            sort_keys=True)

    def cached_image_feats(self,
                           inputs: torch.Tensor,
                           data_samples: Optional[List[DataSample]] = None) -> torch.Tensor:
        """:meth:`image_feats` of ``inputs``, read from the feature cache where it holds them.

        Used when :meth:`use_feature_cache` set a cache and ``data_samples`` (one per input)
        carry ``img_path``; each feature is keyed by this encoder, the image file (path, size,
        mtime, ctime, inode), the pipeline and the precision (dtype, autocast, device type).
        A sample the data loader did not load (``fvgpt.models.utils.CacheHitPipeline``: its
        input is a stand-in) brings the feature it found under the same key. Misses are
        computed in one pass over the missing inputs and stored, with what the data samples say
        of them (the stand-in's metainfo and shape). Otherwise this is :meth:`image_feats`.

        Raises:
            RuntimeError: when a stand-in input has no feature under the key this model looks
                up (it would be encoded instead of the image).
        """
        cache, encoder = self._feature_cache, None
        if cache is not None and data_samples is not None and len(data_samples) == len(inputs):
            encoder = self.feature_cache_encoder()
        if encoder is None:
            _refuse_stand_ins(data_samples, range(len(data_samples or ())),
                              'no feature cache is on')
            return self.image_feats(inputs)
        keys = self._feature_keys(inputs.device, data_samples)
        carried = [_carried_feat(s, k) for s, k in zip(data_samples, keys)]
        found = cache.get([k if c is None else None for c, k in zip(carried, keys)])
        cache.hits += sum(c is not None for c in carried)
        found = [c if c is not None else f for c, f in zip(carried, found)]
        return _fill_misses(cache, inputs, data_samples, keys, found, self.image_feats)

    def _cached_foundation_feats(self, inputs: torch.Tensor,
                                 data_samples: List[DataSample]) -> torch.Tensor:
        """:meth:`foundation_image_feats` ``(B, d)`` of a ``'prompted'`` backbone's inputs, read
        from its feature cache where it holds them (stored as a ``'clip'`` backbone's features
        of the same CLIP, ``(B, 1, d)``: either reads the other's); misses computed in one pass
        and stored."""
        cache = self._foundation_cache
        keys = self._feature_keys(inputs.device, data_samples)
        # the frozen CLIP's own features: what BasePromptClassifier.image_feats computes
        feats = _fill_misses(cache, inputs, data_samples, keys, cache.get(keys),
                             partial(BasePromptClassifier.image_feats, self))
        return feats[:, 0]

    def _feature_keys(self, device: torch.device,
                      data_samples: List[DataSample]) -> List[Optional[str]]:
        """The cache key of each sample's image (None without an ``img_path``)."""
        encoder = self.feature_cache_encoder()
        precision = _precision_key(self.clip.dtype, device)
        return [
            ImageFeatureCache.entry_key(encoder, self._feature_pipeline, precision, path)
            if path else None for path in (s.metainfo.get('img_path') for s in data_samples)
        ]

    def feature_cache_lookup(self) -> Optional[Tuple[str, str, str]]:
        """``(encoder, pipeline key, precision)`` that key this model's cached features now
        (the precision under the autocast state of the caller), or None when no cache is on;
        ``fvgpt.engine.FeatureCacheHook`` gives them to the data loader, which then skips the
        images whose features are cached (``fvgpt.models.utils.CacheHitPipeline``)."""
        encoder = self.feature_cache_encoder() if self._feature_cache is not None else None
        if encoder is None:
            return None
        return encoder, self._feature_pipeline, _precision_key(self.clip.dtype, self._device())

    def image_and_foundation_feats(
            self,
            inputs: torch.Tensor,
            num_foundation: Optional[int] = None,
            data_samples: Optional[List[DataSample]] = None) -> Tuple[torch.Tensor, torch.Tensor]:
        """:meth:`image_feats` of ``inputs`` and :meth:`foundation_image_feats` of the first
        ``num_foundation`` of them (default: all), computed together as cheaply as possible.

        ``image_encoder = 'clip'``: the foundation features are the method's own, and the first
        ``len(data_samples)`` inputs (the images ``data_samples`` name; FVG-PT's ``x`` before its
        foreground views) are read from the feature cache where one is on
        (:meth:`cached_image_feats`). ``'prompted'``: with a feature cache on and one data sample
        per foundation input, the foundation features are read from the cache (computed and
        stored where missing); otherwise, when the method's image prompts enter after
        block ``k > 0`` (MMRL), the frozen CLIP's blocks before ``k`` run once for both
        (``OpenCLIP.plain_pass_alongside``: the wrapper continues the prompt-free pass itself, so
        it stays prompt-free by construction); else a separate prompt-free pass as
        :meth:`foundation_image_feats`.

        Returns:
            tuple: ``(B, K, d)`` image features and ``(num_foundation, d)`` foundation features
            (no gradient).
        """
        num = inputs.shape[0] if num_foundation is None else int(num_foundation)
        if self.image_encoder == 'clip':
            named = len(data_samples) if data_samples is not None else 0
            if self._feature_cache is not None and 0 < named < inputs.shape[0]:
                # the images the samples name from the cache, the rest (foreground views) encoded
                feats = torch.cat([
                    self.cached_image_feats(inputs[:named], data_samples),
                    self.image_feats(inputs[named:])
                ])
            else:  # one pass (cached_image_feats is image_feats without a cache or names)
                feats = self.cached_image_feats(inputs, data_samples)
            return feats, feats[:num, 0].detach()
        if self._foundation_cache is not None and data_samples is not None and \
                len(data_samples) == num and self.feature_cache_encoder() is not None:
            # the prompt-free features of the named images from the cache: no plain pass
            return self.image_feats(inputs), self._cached_foundation_feats(
                inputs[:num], data_samples)
        sharing = getattr(self.clip, 'plain_pass_alongside', None)
        if sharing is None:
            feats = self.image_feats(inputs)
            return feats, self.foundation_image_feats(inputs[:num])
        with sharing(num) as plain:
            feats = self.image_feats(inputs)
        if plain['feats'] is None:  # prompts from block 0: nothing to share
            return feats, self.foundation_image_feats(inputs[:num])
        return feats, plain['feats']

    # ----------------------------------------------------------------- recipe in checkpoints
    def recipe(self) -> dict:
        """What a checkpoint of this model must agree on with the config that loads it: the
        class, the CLIP (``CLIP_RECIPE_ATTRS``) and every sub-module's ``recipe()`` (prompt
        depths, token counts, ...)."""
        recipe = dict(
            backbone=type(self).__name__,
            clip={a: getattr(self.clip, a)
                  for a in CLIP_RECIPE_ATTRS if hasattr(self.clip, a)})
        for name, child in self.named_children():
            if name != 'clip' and callable(getattr(child, 'recipe', None)):
                recipe[name] = child.recipe()
        return recipe

    def get_extra_state(self) -> torch.Tensor:
        # JSON bytes in a tensor: loads with weights_only=True and survives DDP's broadcast.
        # `clip_pretrained` (where CLIP's weights came from) is not part of the recipe (a tag
        # and a file can hold the same weights); it only explains a weights-hash mismatch.
        return encode_json_tensor(
            dict(recipe=self.recipe(), clip_pretrained=getattr(self.clip, 'pretrained', None)))

    def set_extra_state(self, state: torch.Tensor) -> None:
        pass  # checked in _load_from_state_dict, before any weight is copied

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        extra = state_dict.get(prefix + '_extra_state')
        if extra is not None:
            extra = decode_json_tensor(extra)
            saved = extra.get('recipe')
            diffs = recipe_differences(saved, self.recipe()) if saved is not None else []
            if diffs:
                hint = ''
                if any(d.startswith('clip.weights_sha256') for d in diffs):
                    hint = (' The prompts were tuned on other CLIP weights (checkpoint: '
                            f'pretrained={extra.get("clip_pretrained")!r}, config: '
                            f'pretrained={getattr(self.clip, "pretrained", None)!r}): train '
                            'them again with this CLIP, or set model.clip.pretrained to the '
                            'weights they were trained with.')
                raise ValueError(
                    f'The checkpoint does not fit this config: it was written by '
                    f'{format_recipe(saved)}; this config builds {format_recipe(self.recipe())}. '
                    f'Differences: {"; ".join(diffs)}.{hint}')
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)

    def _device(self) -> torch.device:
        for tensor in [*self.parameters(), *self.buffers()]:
            return tensor.device
        return torch.device('cpu')

    def _tuned_tensors(self) -> List[torch.Tensor]:
        """Parameters and buffers outside the CLIP wrapper (what text features depend on)."""
        return [
            t for name, t in [*self.named_parameters(), *self.named_buffers()]
            if not name.startswith('clip.')
        ]

    # ----------------------------------------------------------------- mmengine's contract
    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None,
                mode: str = 'tensor'):
        if mode == 'tensor':
            return self.logits(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}": use "tensor", "loss" or "predict".')

    def logits(self,
               inputs: torch.Tensor,
               data_samples: Optional[List[DataSample]] = None) -> torch.Tensor:
        """Class logits ``(B, C)`` over the current class list (``data_samples`` name the
        images for the feature cache, :meth:`cached_image_feats`)."""
        image_feats = self.cached_image_feats(inputs, data_samples)
        return self.logits_from_feats(
            image_feats, self.text_feats(image_feats=image_feats), split=self.subsample)

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> Dict[str, torch.Tensor]:
        labels = torch.stack([s.gt_label for s in data_samples]).view(-1).to(inputs.device)
        return {'loss_ce': F.cross_entropy(self.logits(inputs, data_samples), labels)}

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        return scores_to_samples(self.logits(inputs, data_samples), data_samples)


def check_declarations(cls: type) -> None:
    """Fails when ``cls`` does not declare what the backbone contract needs."""
    encoder = getattr(cls, 'image_encoder', None)
    if encoder not in IMAGE_ENCODERS:
        raise TypeError(
            f'{cls.__name__} must declare how its image features relate to the foundation CLIP: '
            f"set the class attribute image_encoder = 'clip' (image tower untouched, prompts on "
            f"the text side only) or 'prompted' (visual prompts or extra tokens; FVG-PT then "
            f'runs a separate prompt-free CLIP pass); got {encoder!r}.')
    if encoder == 'clip' and cls.image_feats is not BasePromptClassifier.image_feats:
        raise TypeError(
            f"{cls.__name__} declares image_encoder = 'clip' but overrides image_feats: FVG-PT "
            "would reuse those features as the foundation CLIP's. Declare 'prompted' instead.")
    overridden = [
        m for m in FOUNDATION_MEMBERS if getattr(cls, m) is not getattr(BasePromptClassifier, m)
    ]
    if overridden:
        raise TypeError(f'{cls.__name__} overrides {overridden}: the foundation features come '
                        "from the frozen, prompt-free CLIP wrapper and the text cache is shared; "
                        'implement encode_class_text instead.')
    if not isinstance(getattr(cls, 'num_image_feats', None), int) or cls.num_image_feats < 1:
        raise TypeError(f'{cls.__name__}.num_image_feats must be a positive int.')
    if getattr(cls, 'text_conditioning', None) not in TEXT_CONDITIONINGS:
        raise TypeError(f"{cls.__name__}.text_conditioning must be 'none' (class text features "
                        "(C, d) of the class list) or 'image' (per image, (B, C, d)); got "
                        f'{getattr(cls, "text_conditioning", None)!r}.')


def class_scores(image_feats: torch.Tensor, text_feats: torch.Tensor) -> torch.Tensor:
    """``<v_b, w_c>`` ``(B, C)`` for shared class features ``(C, d)`` or per-image ones
    ``(B, C, d)`` (image-conditioned text), with image features ``(B, d)``. Callers scale the
    image features first, ``class_scores(s * v, w)``: ``(s v) w^T`` is the order the logits have
    always been computed in (and the reference code's), so results stay bit-identical."""
    if text_feats.dim() == 3:
        return torch.einsum('bd,bcd->bc', image_feats, text_feats)
    return image_feats @ text_feats.t()


def _fill_misses(cache: ImageFeatureCache, inputs: torch.Tensor, data_samples: List[DataSample],
                 keys: List[Optional[str]], found: List[Optional[torch.Tensor]],
                 encode: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """The features ``(B, K, d)`` of ``inputs``: ``found`` where the cache held them, the rest
    computed by ``encode`` in one pass over the missing inputs and stored under their ``keys``
    with what their data samples say of them (metainfo and input shape).

    Raises:
        RuntimeError: when a missing input is a stand-in whose image was not loaded.
    """
    missing = [i for i, f in enumerate(found) if f is None]
    if not missing:
        return torch.stack([f.to(inputs.device) for f in found])
    _refuse_stand_ins(data_samples, missing, 'the cache has no feature under the key this '
                      'model looks up')
    computed = encode(inputs if len(missing) == len(keys) else inputs[missing])
    cache.put([keys[i] for i in missing],
              computed,
              metas=[sample_meta(data_samples[i].metainfo, inputs[i].shape) for i in missing])
    if len(missing) == len(keys):
        return computed
    out = list(found)
    for row, i in enumerate(missing):
        out[i] = computed[row]
    return torch.stack([f.to(device=inputs.device, dtype=computed.dtype) for f in out])


def _carried_feat(sample: DataSample, key: Optional[str]) -> Optional[torch.Tensor]:
    """The feature the data loader found for ``sample`` under ``key`` (the key this model looks
    up), taken off the sample (predictions do not carry it), or None."""
    if key is None or sample.metainfo.get(STAND_IN_KEY) != key or CARRIED_FEAT not in sample:
        return None
    feat = sample.get(CARRIED_FEAT)
    delattr(sample, CARRIED_FEAT)
    return feat


def _refuse_stand_ins(data_samples: Optional[List[DataSample]], rows, why: str) -> None:
    """Fails when a sample of ``rows`` is a stand-in whose image was not loaded."""
    for i in rows:
        key = data_samples[i].metainfo.get(STAND_IN_KEY) if data_samples else None
        if key is not None:
            raise RuntimeError(
                f'The data loader skipped loading {data_samples[i].metainfo.get("img_path")} '
                f'because the feature cache held its feature (key {key}), but {why}: its input '
                'is a stand-in that must not be encoded. The data loader and the model disagree '
                "on the feature's key (another precision or cache switched on inside the loop?); "
                'run with feature_cache.skip_loading=False.')


def _precision_key(dtype: torch.dtype, device: torch.device) -> str:
    """The encoder's weight dtype, the autocast dtype (or off) and the device type."""
    amp = torch.get_autocast_dtype(device.type) if torch.is_autocast_enabled(device.type) else None
    return f'{dtype}|autocast={amp}|{device.type}'


def recipe_differences(saved: dict, current: dict, path: str = '') -> List[str]:
    """``'key: checkpoint X, config Y'`` for every leaf where the two recipes differ."""
    diffs = []
    for key in sorted(set(saved) | set(current), key=str):
        a, b = saved.get(key), current.get(key)
        name = f'{path}{key}'
        if isinstance(a, dict) and isinstance(b, dict):
            diffs += recipe_differences(a, b, name + '.')
        elif a != b:
            diffs.append(f'{name}: checkpoint {a!r}, config {b!r}')
    return diffs


def format_recipe(recipe: dict) -> str:
    """A one-line rendering of a recipe, for error messages."""
    return json.dumps(recipe, sort_keys=True)


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
