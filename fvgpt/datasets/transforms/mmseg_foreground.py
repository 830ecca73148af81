"""Foreground masks computed online by an mmseg segmenter, cached on disk."""
import os.path as osp
from typing import Optional, Sequence, Union

from mmcv.transforms import BaseTransform

from fvgpt.registry import TRANSFORMS
from fvgpt.segmentation.presets import ForegroundSpec
from fvgpt.segmentation.segmenter import Segmenter

#: Default cache folder, next to torch's and huggingface's caches.
DEFAULT_CACHE_DIR = osp.join('~', '.cache', 'fvgpt', 'foreground')


@TRANSFORMS.register_module()
class MMSegForeground(BaseTransform):
    """Segments ``img`` with an mmseg model and adds the foreground mask.

    Place it right after ``LoadImageFromFile`` (it needs the image as read from ``img_path``) and
    before the paired geometric augmentation, which then moves the mask with the image.

    The segmenter runs through ``mmseg.apis.inference_model`` on the image as loaded (its own test
    pipeline resizes and normalizes). The label map is cached under ``cache_dir`` keyed by image
    path and model (config and checkpoint hash): each image is segmented once across epochs and
    runs, and a cache written by another model is never reused. The model is built in each
    dataloader worker on its first cache miss; for large datasets or GPU segmentation, write the
    masks once with ``tools/prepare_foreground.py`` and read them with ``LoadForegroundMask``.

    Required keys: ``img``, ``img_path``; open-vocabulary also ``gt_label`` (or ``class_name``).

    Added keys: ``gt_fg_mask`` (HxW uint8 {0, 1}, aligned with ``img``), ``fg_mask_valid``
    (True).

    Args:
        config (str | dict): The segmenter's mmseg config (file, ``'mmseg::<path>'`` or dict).
        checkpoint (str, optional): Its weights. Defaults to None (random init: tests only).
        foreground (str | Sequence[str | int], optional): Closed-set segmenters: a preset name
            (``'ade20k_things'``, ``'coco_stuff_things'``, ``'voc_objects'``, ``'binary'``) or
            class names / indices. Leave None for open-vocabulary (SAN) segmenters.
        classes (Sequence[str], optional): Open-vocabulary only: the dataset's class names,
            index = ``gt_label``; each image is queried with its class name. Defaults to None
            (then ``results['class_name']`` is used).
        background_words (Sequence[str]): Open-vocabulary only: the texts the class name competes
            with. Defaults to ``('background', )``.
        device (str): Where the segmenter runs. Defaults to ``'cpu'``.
        cache_dir (str, optional): The cache folder; None disables the cache. Defaults to
            ``~/.cache/fvgpt/foreground``.
        class_names (Sequence[str], optional): The segmenter's classes when neither its
            checkpoint nor its config names them. Defaults to None.
    """

    def __init__(self,
                 config: Union[str, dict],
                 checkpoint: Optional[str] = None,
                 foreground: Optional[ForegroundSpec] = None,
                 classes: Optional[Sequence[str]] = None,
                 background_words: Sequence[str] = ('background', ),
                 device: str = 'cpu',
                 cache_dir: Optional[str] = DEFAULT_CACHE_DIR,
                 class_names: Optional[Sequence[str]] = None) -> None:
        self.segmenter_kwargs = dict(
            config=config,
            checkpoint=checkpoint,
            foreground=foreground,
            device=device,
            class_names=class_names,
            background_words=background_words,
            cache_dir=osp.expanduser(cache_dir) if cache_dir else None)
        self.classes = tuple(classes) if classes is not None else None
        # Checks the arguments and hashes the checkpoint now; the model itself is built on the
        # first cache miss, in the process (dataloader worker) that needs it.
        self.segmenter = Segmenter(**self.segmenter_kwargs)

    def _query(self, results: dict) -> str:
        if 'class_name' in results:
            return results['class_name']
        if self.classes is None or 'gt_label' not in results:
            raise KeyError('An open-vocabulary segmenter queries each image with its class name: '
                           'give MMSegForeground `classes` (the dataset\'s class names) or put '
                           '`class_name` into the results.')
        return self.classes[int(results['gt_label'])]

    def transform(self, results: dict) -> dict:
        """Adds ``gt_fg_mask`` and ``fg_mask_valid`` to ``results``."""
        img = results['img']
        ori_shape = results.get('ori_shape', img.shape[:2])
        if tuple(img.shape[:2]) != tuple(ori_shape[:2]):
            raise RuntimeError(
                f'MMSegForeground got an image of size {img.shape[:2]} whose file is '
                f'{tuple(ori_shape[:2])}: place it right after LoadImageFromFile, before any '
                'resize or crop (masks are cached per image file).')
        segmenter = self.segmenter
        query = self._query(results) if segmenter.open_vocabulary else None
        mask = segmenter.segment([img], [results['img_path']],
                                 [query] if query is not None else None)[0]
        results['gt_fg_mask'] = mask
        results['fg_mask_valid'] = True
        return results

    def __repr__(self) -> str:
        kwargs = ', '.join(f'{k}={v!r}' for k, v in self.segmenter_kwargs.items()
                           if k != 'config' or isinstance(v, str))
        return f'{self.__class__.__name__}({kwargs})'
