"""Runs a tuned CLIP prompt classifier on images, with the class names the caller chooses.

Follows mmpretrain's ``ImageClassificationInferencer``: built from a config and a checkpoint (or
from a model), called on image paths, a folder or arrays, batched, one dict per image. Unlike a
fixed-head classifier, the class list is an argument: the prompt (CoOp, KgCoOp, zero-shot CLIP,
FVG-PT, ...) scores whatever class names and templates it is given.
"""
import logging
import os
import os.path as osp
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmcv.image import imread
from mmengine.config import Config
from mmengine.dataset import Compose, default_collate
from mmengine.logging import print_log
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from mmpretrain.apis.base import BaseInferencer
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS, TRANSFORMS
from fvgpt.setup_env import register_all_modules
from fvgpt.utils import load_checkpoint_file
from fvgpt.utils.seed import apply_seed

ModelType = Union[BaseModel, str, Config]
InputType = Union[str, np.ndarray, Sequence[Union[str, np.ndarray]]]

SUBSAMPLES = (None, 'base', 'new', 'all')
DEFAULT_TEMPLATES = ['a photo of a {}.']


class PromptClassificationInferencer(BaseInferencer):
    """Classifies images with a CLIP prompt classifier over a class list of your choice.

    The model is built through the registry from the config's ``model``; the images go through
    the config's ``test_dataloader`` pipeline (as ``tools/test.py`` feeds them), then the model's
    data preprocessor and ``predict``. Checkpoints load with ``torch.load(weights_only=True)``.

    The class list (``classes``, ``templates``, ``subsample``) is passed to the model's
    ``set_class_list`` as ``ClassListHook`` does in testing. Left out, each part comes from the
    checkpoint's ``meta.dataset_meta`` (the classes the model was trained on, as the Runner saves
    them), then from the model's current class list; templates last fall back to
    ``'a photo of a {}.'``. ``subsample`` tells split-aware models (FVG-PT) which B2N half the
    classes are: ``'base'`` (FVG-PT's base branch, ``z_fdc``) or ``'new'`` (the new branch,
    ``z_pc``); None lets the model decide as in testing (FVG-PT: base branch for exactly the
    classes it was trained on, new branch for any other list). Each result names the branch that
    scored (``branch``; None for models with a single one).

    Inputs: a path, a folder (its files, recursively, in sorted order), an ``HxWx3`` BGR uint8
    array (as ``mmcv.imread`` returns), or a list of them. A file that cannot be decoded as an
    image is reported (a warning naming it, and :attr:`skipped`) and left out of the results;
    a path that does not exist raises.

    Args:
        model (BaseModel | str | Config): a config file or :class:`Config` (its ``model`` is
            built), or a built model.
        pretrained (str, optional): checkpoint to load (weights only). None keeps the model's
            weights (zero-shot CLIP, or a model you loaded yourself).
        classes (Sequence[str], optional): class names, index = label. Defaults: see above.
        templates (str | Sequence[str], optional): prompt template(s), each with one ``{}``.
            Defaults: see above.
        subsample (str, optional): ``'base'``, ``'new'``, ``'all'`` or None (see above).
        device (str | torch.device, optional): defaults to CUDA when available, else the CPU.
        config (str | Config, optional): with a built ``model``, the config whose test pipeline
            to use, when the model does not carry one (``model._config``).
        cfg_options (dict, optional): merged into the config before anything is built, as
            ``--cfg-options`` does.

    Example:
        >>> inferencer = PromptClassificationInferencer(
        ...     'configs/coop/coop_b2n_toyworld.py', 'work_dirs/coop_b2n_toyworld/epoch_10.pth',
        ...     classes=['pink star', 'cyan cross'])
        >>> inferencer('my_images/', batch_size=8)[0]
        {'img_path': 'my_images/a.png', 'pred_label': 0, 'pred_score': 0.93,
         'pred_class': 'pink star', 'pred_scores': array([...]), 'topk': [...], 'branch': None}
    """

    visualize_kwargs: set = {'show_dir', 'show_topk', 'resize', 'draw_score'}
    postprocess_kwargs: set = {'topk'}

    def __init__(self,
                 model: ModelType,
                 pretrained: Optional[str] = None,
                 classes: Optional[Sequence[str]] = None,
                 templates: Optional[Union[str, Sequence[str]]] = None,
                 subsample: Optional[str] = None,
                 device: Union[str, torch.device, None] = None,
                 config: Union[str, Config, None] = None,
                 cfg_options: Optional[dict] = None) -> None:
        # Not BaseInferencer.__init__: it builds mmpretrain model-zoo names and loads weights
        # through mmengine's loader; here the model is fvgpt's and loading is weights-only.
        register_all_modules(init_default_scope=False)
        if isinstance(model, BaseModel):
            cfg = config if config is not None else getattr(model, '_config', None)
            if cfg is None:
                raise ValueError('A built model needs its config for the test pipeline: pass '
                                 'config=<config file or Config> (or build from the config).')
            cfg = self._load_config(cfg, cfg_options)
        else:
            cfg = self._load_config(model, cfg_options)
            with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'fvgpt')):
                model = MODELS.build(cfg.model)
        if device is None:
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
        self.checkpoint_meta: dict = {}
        if pretrained is not None:
            self.checkpoint_meta = load_weights(model, pretrained)
        model.to(device)
        model.eval()
        self.config = cfg
        self.model = model
        self.pipeline, self.load_transform = self._init_pipeline(cfg)
        self.visualizer = None
        self.skipped: List[Tuple[str, str]] = []
        self.set_class_list(classes, templates, subsample)

    def __call__(self,
                 inputs: InputType,
                 return_datasamples: bool = False,
                 batch_size: int = 1,
                 **kwargs) -> list:
        """Classifies the inputs.

        Args:
            inputs (str | np.ndarray | list): image path(s), folder(s) or ``HxWx3`` BGR arrays.
            return_datasamples (bool): return the models' ``DataSample``s instead of dicts.
                Defaults to False.
            batch_size (int): images per forward pass. Defaults to 1.
            topk (int): classes in each result's ``topk``. Defaults to 5.
            show_dir (str, optional): write each image with its best labels there.
            show_topk (int): labels drawn per image. Defaults to 3.
            resize (int, optional): short edge of the drawn images (see :meth:`visualize`).
            draw_score (bool): draw the scores. Defaults to True.

        Returns:
            list: one dict (or ``DataSample``) per image, in input order; non-images are left
            out and listed in :attr:`skipped`.
        """
        _, _, visualize_kwargs, postprocess_kwargs = self._dispatch_kwargs(**kwargs)
        ori_inputs = self._inputs_to_list(inputs)
        preds = []
        for data in self.preprocess(ori_inputs, batch_size=batch_size):
            preds.extend(self.forward(data))
        visualization = self.visualize(ori_inputs, preds, **visualize_kwargs)
        return self.postprocess(preds, visualization, return_datasamples, **postprocess_kwargs)

    @staticmethod
    def _load_config(cfg: Union[str, Config], cfg_options: Optional[dict]) -> Config:
        if isinstance(cfg, (str, Path)):
            if not osp.isfile(cfg):
                raise FileNotFoundError(f'Config not found: {cfg}')
            cfg = Config.fromfile(str(cfg))
        elif not isinstance(cfg, Config):
            raise TypeError(f'model must be a config file, a Config or a BaseModel, got '
                            f'{type(cfg).__name__}.')
        else:
            cfg = cfg.copy()
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
        apply_seed(cfg)  # fills "{seed}" in paths, as tools/test.py does
        return cfg

    # ------------------------------------------------------------------ class list
    def set_class_list(self,
                       classes: Optional[Sequence[str]] = None,
                       templates: Optional[Union[str, Sequence[str]]] = None,
                       subsample: Optional[str] = None) -> None:
        """Sets the classes scored from now on (defaults as in the class docstring)."""
        if subsample not in SUBSAMPLES:
            raise ValueError(f'subsample must be one of {SUBSAMPLES}, got {subsample!r}.')
        meta = self.checkpoint_meta.get('dataset_meta') or {}
        if classes is None:
            classes = meta.get('classes') or getattr(self.model, 'classnames', None)
            if subsample is None and meta.get('classes'):
                subsample = meta.get('subsample')
        if not classes:
            raise ValueError('No class names: pass classes=[...] (the demo: --classes a,b,c); '
                             'the checkpoint has no dataset_meta with classes to fall back on.')
        if templates is None:
            templates = meta.get('templates') or getattr(self.model, 'templates', None) or \
                DEFAULT_TEMPLATES
        templates = [templates] if isinstance(templates, str) else list(templates)
        for template in templates:
            if template.count('{}') != 1:
                raise ValueError(f'Each template needs exactly one "{{}}" for the class name, '
                                 f'got {template!r}.')
        self.classes = [str(c) for c in classes]
        self.templates = templates
        self.subsample = subsample
        self.model.set_class_list(self.classes, self.templates, self.subsample)

    # ------------------------------------------------------------------ inputs
    def _init_pipeline(self, cfg: Config) -> Tuple[Callable, Callable]:
        """The config's test pipeline, split into its image loading and the rest."""
        try:
            pipeline_cfg = list(cfg.test_dataloader.dataset.pipeline)
        except AttributeError:
            raise KeyError('The config has no test_dataloader.dataset.pipeline: the inferencer '
                           'feeds images as the test pipeline does.') from None
        if not pipeline_cfg or 'LoadImage' not in str(pipeline_cfg[0].get('type', '')):
            raise ValueError('The first transform of test_dataloader.dataset.pipeline must load '
                             f'the image (LoadImageFromFile), got {pipeline_cfg[:1]}.')
        with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'fvgpt')):
            load = TRANSFORMS.build(pipeline_cfg[0])
            rest = Compose([TRANSFORMS.build(t) for t in pipeline_cfg[1:]])
        return rest, load

    def _inputs_to_list(self, inputs: InputType) -> list:
        items = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        expanded = []
        for item in items:
            if isinstance(item, (str, Path)):
                item = str(item)
                if osp.isdir(item):
                    files = sorted(
                        osp.join(root, name) for root, _, names in os.walk(item) for name in names)
                    if not files:
                        raise FileNotFoundError(f'No file in the folder {item}.')
                    expanded.extend(files)
                elif osp.isfile(item):
                    expanded.append(item)
                else:
                    raise FileNotFoundError(f'Image or folder not found: {item}')
            elif isinstance(item, np.ndarray):
                expanded.append(item)
            else:
                raise TypeError(f'An input must be a path, a folder or an HxWx3 BGR array, got '
                                f'{type(item).__name__}.')
        return expanded

    def _load(self, index: int, item: Union[str, np.ndarray]) -> Optional[dict]:
        """The test pipeline's loading of one input; None (and a report) for a non-image."""
        if isinstance(item, np.ndarray):
            img = as_bgr(item, index)
            return dict(img=img, img_shape=img.shape[:2], ori_shape=img.shape[:2])
        try:
            results = self.load_transform(dict(img_path=item))
        except Exception as error:  # any decoding failure: the file is not an image
            results, reason = None, str(error) or type(error).__name__
        else:
            reason = 'could not be decoded as an image'
        if results is None or results.get('img') is None:
            self.skipped.append((item, reason))
            print_log(
                f'Skipped {item}: not an image ({reason})', logger='current', level=logging.WARNING)
            return None
        return results

    def preprocess(self, inputs: list, batch_size: int = 1, **kwargs):
        """Loads, transforms and batches the inputs, skipping (and reporting) non-images."""
        self.skipped = []

        def packed():
            for index, item in enumerate(inputs):
                results = self._load(index, item)
                if results is None:
                    continue
                data = self.pipeline(results)
                # The position in the inputs, whatever PackInputs' meta_keys keep.
                data['data_samples'].set_metainfo(
                    dict(sample_idx=index, img_path=item if isinstance(item, str) else None))
                yield data

        yield from map(default_collate, self._get_chunk_data(packed(), batch_size))

    @torch.no_grad()
    def forward(self, data: dict, **kwargs) -> List[DataSample]:
        """The model's data preprocessor, then ``predict`` (what ``test_step`` does)."""
        data = self.model.data_preprocessor(data, False)
        return self.model.predict(data['inputs'], data.get('data_samples'))

    # ------------------------------------------------------------------ outputs
    def postprocess(self,
                    preds: List[DataSample],
                    visualization: Optional[list],
                    return_datasamples: bool = False,
                    topk: int = 5) -> list:
        """One dict per image: ``img_path`` (None for arrays), ``pred_label``, ``pred_score``,
        ``pred_class``, ``pred_scores`` (all classes), ``topk`` (the ``topk`` best as dicts of
        ``label``, ``class``, ``score``) and ``branch`` (FVG-PT's scoring branch, else None)."""
        if return_datasamples:
            return preds
        results = []
        for sample in preds:
            scores = sample.pred_score.detach().float().cpu()
            k = min(int(topk), scores.numel())
            top_scores, top_labels = scores.topk(k)
            label = int(top_labels[0])
            results.append({
                'img_path':
                sample.metainfo.get('img_path'),
                'pred_label':
                label,
                'pred_score':
                float(top_scores[0]),
                'pred_class':
                self.classes[label],
                'pred_scores':
                scores.numpy(),
                'topk': [{
                    'label': int(i),
                    'class': self.classes[int(i)],
                    'score': float(s)
                } for s, i in zip(top_scores, top_labels)],
                'branch':
                sample.metainfo.get('branch'),
            })
        return results

    def visualize(self,
                  ori_inputs: list,
                  preds: List[DataSample],
                  show_dir: Optional[str] = None,
                  show_topk: int = 3,
                  resize: Optional[int] = None,
                  draw_score: bool = True) -> Optional[List[np.ndarray]]:
        """Writes each image with its ``show_topk`` best labels to ``show_dir/<name>.png``.

        Args:
            show_dir (str, optional): output folder; None draws nothing.
            show_topk (int): labels drawn per image. Defaults to 3.
            resize (int, optional): short edge of the drawn image. Defaults to the image's, or
                224 for smaller images (room for the labels).
            draw_score (bool): draw the scores next to the labels. Defaults to True.

        Returns:
            list[np.ndarray] | None: the drawn RGB images, None without ``show_dir``.
        """
        if show_dir is None:
            return None
        if self.visualizer is None:
            from mmpretrain.visualization import UniversalVisualizer
            self.visualizer = UniversalVisualizer()
        os.makedirs(show_dir, exist_ok=True)
        drawn, used = [], set()
        for sample in preds:
            index = sample.metainfo['sample_idx']
            item = ori_inputs[index]
            if isinstance(item, str):
                image = imread(item)[..., ::-1]  # mmcv reads BGR
                name = Path(item).stem
            else:
                image = as_bgr(item, index)[..., ::-1]
                name = str(index)
            name = name if name not in used else f'{name}_{index}'
            used.add(name)
            scores = sample.pred_score.detach().float().cpu()
            top = scores.topk(min(show_topk, scores.numel())).indices
            shown = DataSample().set_pred_score(scores).set_pred_label(top)
            short = min(image.shape[:2])
            self.visualizer.visualize_cls(
                np.ascontiguousarray(image),
                shown,
                classes=self.classes,
                resize=resize or (224 if short < 224 else None),
                draw_gt=False,
                draw_pred=True,
                draw_score=draw_score,
                name=name,
                out_file=osp.join(show_dir, name + '.png'))
            drawn.append(self.visualizer.get_image())
        return drawn


def as_bgr(array: np.ndarray, index: int = 0) -> np.ndarray:
    """An input array as ``HxWx3`` uint8 BGR (grey images are repeated, alpha is dropped)."""
    if array.ndim == 2:
        array = np.repeat(array[..., None], 3, axis=2)
    elif array.ndim == 3 and array.shape[2] == 4:
        array = array[..., :3]
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f'Input {index}: an array image must be HxWx3 (BGR), HxWx4 or HxW, '
                         f'got shape {array.shape}.')
    if array.dtype != np.uint8:
        raise ValueError(f'Input {index}: an array image must be uint8 (0-255, as mmcv.imread '
                         f'returns), got {array.dtype}.')
    return array


def load_weights(model: torch.nn.Module, checkpoint: str) -> Dict:
    """Loads a checkpoint's ``state_dict`` into ``model`` (``torch.load(weights_only=True)``).

    Returns:
        dict: the checkpoint's ``meta`` (``dataset_meta`` holds the training classes).
    """
    ckpt = load_checkpoint_file(checkpoint)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'{checkpoint} holds no state dict (got {type(ckpt).__name__}).')
    try:
        model.load_state_dict(state, strict=True)
    except (RuntimeError, ValueError) as error:  # torch's key check, or the model's own
        raise type(error)(f'The checkpoint {checkpoint} does not fit the model of the config '
                          f'({type(model).__name__}): {error}') from error
    meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    return dict(meta) if isinstance(meta, dict) else {}
