"""Runs an mmseg segmentor through mmseg's own inference API and turns its predictions into
foreground masks.

Two kinds of segmenter are supported:

- Closed-set (any mmseg ``EncoderDecoder``-style segmentor): the predicted class of each pixel is
  mapped to foreground / background by a set of foreground classes (a preset of
  :mod:`fvgpt.segmentation.presets`, or class names / indices).
- Open-vocabulary (mmseg's ``MultimodalEncoderDecoder``, i.e. SAN): each image is queried with its
  own class name against ``background_words``; pixels won by the class name are foreground.

The model is built on first use, so a run whose masks are all cached never loads it. mmseg's
components live in the ``mmseg`` registry scope: building and inference switch to it and restore
the caller's default scope (``fvgpt`` in a training run) afterwards.
"""
import copy
import hashlib
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope

from .cache import SegmentationCache
from .checkpoint import checkpoint_class_names, load_segmenter_checkpoint
from .config import config_digest, file_digest, load_seg_config
from .presets import ForegroundSpec, default_class_names, foreground_lookup

OPEN_VOCABULARY_TYPES = ('MultimodalEncoderDecoder', 'mmseg.MultimodalEncoderDecoder')


class Segmenter:
    """An mmseg segmentor that predicts foreground masks of images, with an optional disk cache.

    Args:
        config (str | dict | Config): The segmenter's mmseg config: a file, ``'mmseg::<path>'`` (a
            config shipped with mmseg, e.g. ``'mmseg::segformer/segformer_mit-b0_8xb2-160k_ade20k
            -512x512.py'``), a dict or a Config. It needs ``model`` and ``test_pipeline``.
        checkpoint (str, optional): The weights (a state dict or an mmengine checkpoint file).
            ``None`` keeps the random initialization (tests only). Defaults to None.
        foreground (str | Sequence[str | int], optional): For closed-set segmenters, the
            foreground classes: a preset name (``'ade20k_things'``, ``'coco_stuff_things'``,
            ``'voc_objects'``, ``'binary'``) or class names / indices. Must be None for
            open-vocabulary segmenters. Defaults to None.
        device (str): ``'cpu'``, ``'cuda'``, ``'cuda:1'``, ... Defaults to ``'cpu'``.
        class_names (Sequence[str], optional): The segmenter's classes, when neither the
            checkpoint's meta nor the config names them. Defaults to None.
        background_words (Sequence[str]): Open-vocabulary only: the texts the class name competes
            with. Defaults to ``('background', )``.
        cache_dir (str, optional): Folder of the label-map cache (see
            :class:`SegmentationCache`); None disables caching. Defaults to None.
        cfg_options (dict, optional): Overrides merged into the config. Defaults to None.
    """

    def __init__(self,
                 config: Union[str, dict, Config],
                 checkpoint: Optional[str] = None,
                 foreground: Optional[ForegroundSpec] = None,
                 device: str = 'cpu',
                 class_names: Optional[Sequence[str]] = None,
                 background_words: Sequence[str] = ('background', ),
                 cache_dir: Optional[str] = None,
                 cfg_options: Optional[dict] = None) -> None:
        self.cfg = load_seg_config(config, cfg_options)
        self.scope = self.cfg.get('default_scope', 'mmseg')
        if checkpoint is not None and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'Segmenter checkpoint not found: {checkpoint}. Nothing is downloaded: fetch the '
                'file (docs/foreground_masks.md lists the public ones) and pass its local path.')
        self.checkpoint = checkpoint
        self.device = device
        self.open_vocabulary = self.cfg.model.get('type') in OPEN_VOCABULARY_TYPES
        self.background_words = tuple(background_words)
        if self.open_vocabulary:
            if foreground is not None:
                raise ValueError('An open-vocabulary segmenter finds the foreground from each '
                                 "image's class name: leave `foreground` unset.")
            self._prepare_open_vocabulary_cfg()
        elif foreground is None:
            raise ValueError('Set `foreground`: a preset name (ade20k_things, coco_stuff_things, '
                             'voc_objects, binary) or a list of class names or indices.')
        self.foreground = foreground
        self._class_names = tuple(class_names) if class_names is not None else None
        self._model = None
        self._lookup: Optional[np.ndarray] = None
        self._model_key: Optional[str] = None
        self.cache = SegmentationCache(cache_dir, self.model_key) if cache_dir else None
        if self._class_names is None and self.cache is not None:
            meta = self.cache.read_meta() or {}
            if meta.get('class_names'):
                self._class_names = tuple(meta['class_names'])

    def _prepare_open_vocabulary_cfg(self) -> None:
        """Makes the text encoder take its vocabulary from the queries instead of a dataset."""
        vocabulary = ['object', *self.background_words]
        self.cfg.model.text_encoder.dataset_name = None
        self.cfg.model.text_encoder.vocabulary = vocabulary
        self.cfg.model.decode_head.num_classes = len(vocabulary)

    # ----------------------------------------------------------------------------- identity
    @property
    def model_key(self) -> str:
        """Hex digest that identifies what this segmenter predicts: its config (model and test
        pipeline) and its checkpoint's bytes (or, without a checkpoint, its weights)."""
        if self._model_key is None:
            if self.checkpoint is not None:
                weights = file_digest(self.checkpoint)
            else:
                weights = self._state_digest(self.model)
            text = f'{config_digest(self.cfg)}:{weights}'
            self._model_key = hashlib.sha256(text.encode('utf-8')).hexdigest()
        return self._model_key

    @staticmethod
    def _state_digest(model: torch.nn.Module) -> str:
        sha = hashlib.sha256()
        for name, tensor in model.state_dict().items():
            sha.update(name.encode('utf-8'))
            sha.update(tensor.detach().cpu().contiguous().numpy().tobytes())
        return sha.hexdigest()

    # ----------------------------------------------------------------------------- model
    @property
    def model(self) -> torch.nn.Module:
        """The mmseg segmentor, built (and its checkpoint loaded) on first access."""
        if self._model is None:
            self._model = self._build_model()
        return self._model

    def _build_model(self) -> torch.nn.Module:
        from mmengine.model import revert_sync_batchnorm
        from mmseg.apis import init_model
        with DefaultScope.overwrite_default_scope(self.scope):
            # init_model edits the config it is given (pretrained, init_cfg): pass a copy.
            model = init_model(copy.deepcopy(self.cfg), None, device='cpu')
        model = revert_sync_batchnorm(model)
        meta = {}
        if self.checkpoint is not None:
            meta = load_segmenter_checkpoint(model, self.checkpoint)
        if self._class_names is None and not self.open_vocabulary:
            self._class_names = self._find_class_names(model, meta)
        model.to(self.device).eval()
        return model

    def _find_class_names(self, model: torch.nn.Module, meta: dict) -> Tuple[str, ...]:
        """Class names from the checkpoint's meta, else the config, else the foreground preset's
        label set (when its size fits), else ``'0'``, ``'1'``, ..."""
        num_classes = model.decode_head.num_classes
        names = checkpoint_class_names(meta) or self._config_class_names()
        if names is not None and len(names) != num_classes:
            raise ValueError(f'The segmenter has {num_classes} classes but its checkpoint or '
                             f'config names {len(names)}: {", ".join(names)}.')
        return names or default_class_names(num_classes, self.foreground)

    def _config_class_names(self) -> Optional[Tuple[str, ...]]:
        """Classes named by the config: ``metainfo`` or its test dataset's class ``METAINFO``."""
        if self.cfg.get('metainfo', {}).get('classes'):
            return tuple(self.cfg.metainfo.classes)
        dataset = self.cfg.get('test_dataloader', {}).get('dataset', {})
        if dataset.get('metainfo', {}).get('classes'):
            return tuple(dataset.metainfo.classes)
        if dataset.get('type'):
            from mmseg.registry import DATASETS
            with DefaultScope.overwrite_default_scope(self.scope):
                dataset_cls = DATASETS.get(dataset.type)
            classes = getattr(dataset_cls, 'METAINFO', {}).get('classes')
            return tuple(classes) if classes else None
        return None

    @property
    def class_names(self) -> Tuple[str, ...]:
        """The classes of the segmenter's label maps (open-vocabulary: ``('<query>', *background
        words)``)."""
        if self.open_vocabulary:
            return ('<query>', *self.background_words)
        if self._class_names is None:
            self.model  # noqa: B018 (building the model finds the class names)
        return self._class_names

    @property
    def lookup(self) -> np.ndarray:
        """uint8 table: class index -> 1 for foreground, 0 for background."""
        if self._lookup is None:
            if self.open_vocabulary:
                self._lookup = np.zeros(len(self.class_names), dtype=np.uint8)
                self._lookup[0] = 1
            else:
                self._lookup = foreground_lookup(self.foreground, self.class_names)
        return self._lookup

    # ----------------------------------------------------------------------------- inference
    def predict_labels(self,
                       images: Sequence[np.ndarray],
                       queries: Optional[Sequence[str]] = None) -> List[np.ndarray]:
        """Label maps of a batch of images, through ``mmseg.apis.inference_model``.

        mmseg runs a batch only when its images have one size (and, open-vocabulary, one query):
        the images are grouped accordingly, each group being one call.

        Args:
            images (Sequence[np.ndarray]): HxWx3 uint8 BGR images (as mmcv loads them).
            queries (Sequence[str], optional): Open-vocabulary only: each image's class name.

        Returns:
            list[np.ndarray]: HxW int64 label maps, in the order of ``images``.
        """
        from mmseg.apis import inference_model
        if self.open_vocabulary and (queries is None or len(queries) != len(images)):
            raise ValueError('An open-vocabulary segmenter needs one class name per image.')
        groups: Dict[tuple, List[int]] = OrderedDict()
        for i, img in enumerate(images):
            query = queries[i] if self.open_vocabulary else None
            groups.setdefault((img.shape, query), []).append(i)
        model = self.model
        out: List[Optional[np.ndarray]] = [None] * len(images)
        for (_, query), indices in groups.items():
            if self.open_vocabulary:
                model.text_encoder.vocabulary = [query, *self.background_words]
            with DefaultScope.overwrite_default_scope(self.scope):
                samples = inference_model(model, [images[i] for i in indices])
            for i, sample in zip(indices, samples):
                out[i] = sample.pred_sem_seg.data[0].cpu().numpy().astype(np.int64)
        return out

    def labels_to_mask(self, labels: np.ndarray) -> np.ndarray:
        """HxW uint8 {0, 1} foreground mask of a label map."""
        lookup = self.lookup
        if labels.size and labels.max() >= len(lookup):
            raise ValueError(f'Label {labels.max()} is beyond the segmenter\'s {len(lookup)} '
                             'classes.')
        return lookup[labels]

    def segment(self,
                images: Sequence[np.ndarray],
                img_paths: Optional[Sequence[str]] = None,
                queries: Optional[Sequence[str]] = None) -> List[np.ndarray]:
        """Foreground masks (HxW uint8 {0, 1}) of a batch of images, read from the cache when it
        holds them (``img_paths`` given and ``cache_dir`` set), computed and cached otherwise."""
        queries = list(queries) if queries is not None else None
        if not self.open_vocabulary:
            queries = None
        labels: List[Optional[np.ndarray]] = [None] * len(images)
        use_cache = self.cache is not None and img_paths is not None
        if use_cache:
            for i, img in enumerate(images):
                labels[i] = self.cache.load(img_paths[i], img.shape, queries and queries[i])
        todo = [i for i, label in enumerate(labels) if label is None]
        if todo:
            predicted = self.predict_labels([images[i] for i in todo],
                                            [queries[i] for i in todo] if queries else None)
            for i, label in zip(todo, predicted):
                labels[i] = label
                if use_cache:
                    self.cache.save(img_paths[i], label, queries and queries[i])
            if use_cache:
                self.cache.write_meta(self._cache_meta())
        return [self.labels_to_mask(label) for label in labels]

    def _cache_meta(self) -> dict:
        return dict(
            config=self.cfg.filename or '<dict config>',
            checkpoint=self.checkpoint,
            class_names=list(self.class_names) if not self.open_vocabulary else None,
            open_vocabulary=self.open_vocabulary,
            background_words=list(self.background_words))

    def __repr__(self) -> str:
        kind = 'open-vocabulary' if self.open_vocabulary else f'foreground={self.foreground!r}'
        return (f'{self.__class__.__name__}(config={self.cfg.filename or "<dict>"}, '
                f'checkpoint={self.checkpoint}, {kind}, device={self.device})')
