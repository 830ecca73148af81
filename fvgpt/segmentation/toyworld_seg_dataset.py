"""The toy world's foreground masks as an mmseg semantic-segmentation dataset (2 classes).

Registered in mmseg's ``DATASETS`` registry (scope ``mmseg``), so an mmseg config trains and tests
on a toy world with mmseg's own loop (``configs/segmenters/segformer-tiny_toyworld.py``)::

    custom_imports = dict(imports=['fvgpt.segmentation.toyworld_seg_dataset'])
    train_dataloader = dict(dataset=dict(type='ToyWorldSegDataset', data_root='data/toyworld',
                                         split='train', pipeline=train_pipeline))

:func:`foreground_scores` scores predicted foreground masks against reference masks the way
mmseg's ``IoUMetric`` does (IoU of each class over the whole set, their mean: mIoU), plus the mean
of the per-image foreground IoUs.
"""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import numpy as np
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

#: The splits of a CoOp split file.
TOYWORLD_SPLITS = ('train', 'val', 'test')


@DATASETS.register_module()
class ToyWorldSegDataset(BaseSegDataset):
    """Images and foreground masks of a toy world (``fvgpt.toyworld``) in CoOp's layout.

    The world's folder (``tools/toyworld/generate.py``, :func:`fvgpt.toyworld.write_toyworld`)
    holds ``images/<class_dir>/<name>.png``, the masks ``mask/<class_dir>/<name>.png`` (the mask
    folder mirrors the image folder) and the split file listing ``[relpath, label, classname]``
    per split. Items are the images of the chosen splits, in split-file order.

    Masks are single-channel 0 / 255 PNGs (the generator's and ``tools/prepare_foreground.py``'s);
    mmseg reads 255 as "ignore", so the dataset maps 255 to 1 (``label_map={255: 1}``): label maps
    are 0 = background, 1 = foreground. 0 / 1 masks are read as they are.

    Args:
        data_root (str): The toy world's dataset folder (``data/toyworld``).
        split (str | Sequence[str], optional): ``'train'``, ``'val'``, ``'test'``, several, or
            None for all three. Defaults to ``'train'``.
        split_file (str): The split file, relative to ``data_root``. Defaults to
            ``'split_zhou_ToyWorld.json'``.
        data_prefix (dict): The image folder (``img_path``) and the mask folder
            (``seg_map_path``), relative to ``data_root``. Defaults to
            ``dict(img_path='images', seg_map_path='mask')``.
        **kwargs: Other arguments of :class:`mmseg.datasets.BaseSegDataset` (``pipeline``,
            ``test_mode``, ``lazy_init``, ...).
    """

    METAINFO = dict(classes=('background', 'foreground'), palette=[[0, 0, 0], [255, 255, 255]])

    def __init__(self,
                 data_root: str,
                 split: Union[None, str, Sequence[str]] = 'train',
                 split_file: str = 'split_zhou_ToyWorld.json',
                 data_prefix: Optional[Dict[str, str]] = None,
                 **kwargs) -> None:
        splits = TOYWORLD_SPLITS if split is None else ((
            split, ) if isinstance(split, str) else tuple(split))
        unknown = [s for s in splits if s not in TOYWORLD_SPLITS]
        if unknown or not splits:
            raise ValueError(f'split={split!r}: use one or more of {TOYWORLD_SPLITS} (or None).')
        self.splits = splits
        self.split_file = split_file
        if data_prefix is None:
            data_prefix = dict(img_path='images', seg_map_path='mask')
        kwargs.setdefault('img_suffix', '.png')
        kwargs.setdefault('seg_map_suffix', '.png')
        super().__init__(data_root=data_root, data_prefix=data_prefix, **kwargs)

    @property
    def split_path(self) -> str:
        """The split file's absolute path."""
        return osp.join(self.data_root, self.split_file)

    def load_data_list(self) -> List[dict]:
        """The images of :attr:`splits` with their mask paths (``label_map`` 255 -> 1).

        Raises:
            FileNotFoundError: The split file is missing (the world was not generated).
        """
        if not osp.isfile(self.split_path):
            raise FileNotFoundError(
                f'Toy-world split file not found: {self.split_path}. Generate the world first '
                f'(python tools/toyworld/generate.py --data-root {osp.dirname(self.data_root)}).')
        with open(self.split_path) as f:
            split = json.load(f)
        img_dir = self.data_prefix['img_path']
        ann_dir = self.data_prefix.get('seg_map_path')
        # The masks hold 0 / 255; mmseg's LoadAnnotations applies the item's label_map.
        label_map = dict(self.label_map or {})
        label_map.setdefault(255, 1)
        data_list = []
        for key in self.splits:
            for rel, _, _ in split.get(key, []):
                stem = osp.splitext(rel)[0]
                info = dict(
                    img_path=osp.join(img_dir, stem + self.img_suffix),
                    label_map=label_map,
                    reduce_zero_label=self.reduce_zero_label,
                    seg_fields=[])
                if ann_dir is not None:
                    info['seg_map_path'] = osp.join(ann_dir, stem + self.seg_map_suffix)
                data_list.append(info)
        return data_list


def foreground_scores(masks: Sequence[np.ndarray],
                      references: Sequence[np.ndarray]) -> Dict[str, float]:
    """Scores of predicted foreground masks against reference masks (both binary, same sizes).

    Args:
        masks (Sequence[np.ndarray]): ``(H, W)`` predicted masks (non-zero = foreground).
        references (Sequence[np.ndarray]): ``(H, W)`` reference masks, one per mask.

    Returns:
        dict: ``fg_iou`` and ``bg_iou`` (each class's intersection over union summed over all
        pixels of the set, as mmseg's ``IoUMetric``), ``miou`` (their mean), ``mean_image_fg_iou``
        (mean over images of the per-image foreground IoU; two empty masks agree fully),
        ``pixel_acc`` and ``images``, all in [0, 1] except ``images``.
    """
    if len(masks) != len(references) or not masks:
        raise ValueError(f'Need as many masks as references (got {len(masks)} and '
                         f'{len(references)}), and at least one.')
    inter = np.zeros(2)
    union = np.zeros(2)
    correct = total = 0
    per_image = []
    for mask, ref in zip(masks, references):
        if mask.shape != ref.shape:
            raise ValueError(f'Mask of shape {mask.shape} vs reference of shape {ref.shape}.')
        pred, gt = mask > 0, ref > 0
        for c, (p, g) in enumerate(((~pred, ~gt), (pred, gt))):
            inter[c] += np.logical_and(p, g).sum()
            union[c] += np.logical_or(p, g).sum()
        correct += int((pred == gt).sum())
        total += gt.size
        fg_union = np.logical_or(pred, gt).sum()
        per_image.append(1.0 if fg_union == 0 else np.logical_and(pred, gt).sum() / fg_union)
    iou = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    return dict(
        fg_iou=float(iou[1]),
        bg_iou=float(iou[0]),
        miou=float(iou.mean()),
        mean_image_fg_iou=float(np.mean(per_image)),
        pixel_acc=correct / total,
        images=len(masks))
