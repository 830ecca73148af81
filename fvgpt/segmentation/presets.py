"""Foreground class presets: which classes of a segmenter's label set count as foreground.

A closed-set segmenter predicts one class per pixel; FVG-PT needs foreground / background. A preset
names the classes of a public label set that are objects ("things": countable, with a shape) as
opposed to amorphous regions ("stuff": sky, grass, wall, road, ...). Every preset lists its classes
with the exact spelling of mmseg's class list of that label set (``mmseg.utils.get_classes``), so it
maps onto the checkpoints mmseg publishes for that label set.

- ``coco_stuff_things``: the 80 thing classes of COCO-Stuff 164k (171 classes; the first 80 are
  COCO's detection classes, the other 91 are stuff).
- ``ade20k_things``: the 100 thing classes of ADE20K's 150-class SceneParsing set, as split by the
  ADE20K panoptic benchmark (the split Mask2Former and detectron2 use); the 50 others (wall, sky,
  floor, tree, road, grass, mountain, plant, water, ...) are stuff.
- ``voc_objects``: the 20 object classes of Pascal VOC 2012 (every class but ``background``).
- ``binary``: class ``foreground`` of a two-class ``(background, foreground)`` segmenter, such as
  the one ``configs/segmenters/`` describes for the toy world.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np

ForegroundSpec = Union[str, Sequence[Union[str, int]]]


@dataclass(frozen=True)
class ForegroundPreset:
    """A named set of foreground classes within one label set.

    Args:
        name (str): The preset's name, e.g. ``'ade20k_things'``.
        label_set (str): The label set's name in ``mmseg.utils.get_classes`` (``'cocostuff'``,
            ``'ade20k'``, ``'voc'``), or ``'binary'`` for ``(background, foreground)``.
        classes (tuple[str]): The foreground classes, spelled as in that label set.
        description (str): One line for users: which models the preset suits.
    """

    name: str
    label_set: str
    classes: Tuple[str, ...]
    description: str

    def label_set_classes(self) -> Tuple[str, ...]:
        """All classes of the preset's label set, in the segmenter's output order."""
        if self.label_set == 'binary':
            return ('background', 'foreground')
        from mmseg.utils import get_classes
        return tuple(get_classes(self.label_set))


COCO_STUFF_THINGS = ('person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck',
                     'boat', 'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench',
                     'bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra',
                     'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
                     'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove',
                     'skateboard', 'surfboard', 'tennis racket', 'bottle', 'wine glass', 'cup',
                     'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
                     'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
                     'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse',
                     'remote', 'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink',
                     'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear',
                     'hair drier', 'toothbrush')

# ADE20K-150 indices 7, 8, 10, 12, ... (isthing=1 in the ADE20K panoptic split), in mmseg's spelling
# ('bed ' has a trailing space there, 'windowpane' is the panoptic split's 'window').
ADE20K_THINGS = ('bed ', 'windowpane', 'cabinet', 'person', 'door', 'table', 'curtain', 'chair',
                 'car', 'painting', 'sofa', 'shelf', 'mirror', 'armchair', 'seat', 'fence', 'desk',
                 'wardrobe', 'lamp', 'bathtub', 'railing', 'cushion', 'box', 'column', 'signboard',
                 'chest of drawers', 'counter', 'sink', 'fireplace', 'refrigerator', 'stairs',
                 'case', 'pool table', 'pillow', 'screen door', 'bookcase', 'coffee table',
                 'toilet', 'flower', 'book', 'bench', 'countertop', 'stove', 'palm',
                 'kitchen island', 'computer', 'swivel chair', 'boat', 'arcade machine', 'bus',
                 'towel', 'light', 'truck', 'chandelier', 'awning', 'streetlight', 'booth',
                 'television receiver', 'airplane', 'apparel', 'pole', 'bannister', 'ottoman',
                 'bottle', 'van', 'ship', 'fountain', 'washer', 'plaything', 'stool', 'barrel',
                 'basket', 'bag', 'minibike', 'oven', 'ball', 'food', 'step', 'trade name',
                 'microwave', 'pot', 'animal', 'bicycle', 'dishwasher', 'screen', 'sculpture',
                 'hood', 'sconce', 'vase', 'traffic light', 'tray', 'ashcan', 'fan', 'plate',
                 'monitor', 'bulletin board', 'radiator', 'glass', 'clock', 'flag')

VOC_OBJECTS = ('aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair',
               'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep',
               'sofa', 'train', 'tvmonitor')

FOREGROUND_PRESETS: Dict[str, ForegroundPreset] = {
    p.name: p
    for p in (
        ForegroundPreset('coco_stuff_things', 'cocostuff', COCO_STUFF_THINGS,
                         'COCO-Stuff 164k models (171 classes): the 80 thing classes.'),
        ForegroundPreset(
            'ade20k_things', 'ade20k', ADE20K_THINGS,
            'ADE20K models (150 classes): the 100 thing classes of the panoptic '
            'split.'),
        ForegroundPreset('voc_objects', 'voc', VOC_OBJECTS,
                         'Pascal VOC 2012 models (21 classes): every class but background.'),
        ForegroundPreset('binary', 'binary', (
            'foreground', ), 'Two-class (background, foreground) models, e.g. the toy-world one.'),
    )
}


def get_preset(name: str) -> ForegroundPreset:
    """The preset called ``name``; the error lists the known presets."""
    if name not in FOREGROUND_PRESETS:
        raise KeyError(f'Unknown foreground preset "{name}". Known presets: '
                       f'{", ".join(FOREGROUND_PRESETS)}; or give a list of class names or '
                       'indices.')
    return FOREGROUND_PRESETS[name]


def default_class_names(num_classes: int, foreground: Optional[ForegroundSpec]) -> Tuple[str, ...]:
    """Class names for a segmenter whose checkpoint and config name none.

    A preset's label set is used when it has ``num_classes`` classes, otherwise the indices as
    strings (``'0'``, ``'1'``, ...), which class indices in ``foreground`` still match.
    """
    if isinstance(foreground, str):
        names = get_preset(foreground).label_set_classes()
        if len(names) == num_classes:
            return names
    return tuple(str(i) for i in range(num_classes))


def foreground_lookup(foreground: ForegroundSpec, class_names: Sequence[str]) -> np.ndarray:
    """A table that maps each class index of a segmenter to 1 (foreground) or 0 (background).

    Args:
        foreground (str | Sequence[str | int]): A preset name, or class names and indices.
        class_names (Sequence[str]): The segmenter's classes, index = predicted label.

    Returns:
        np.ndarray: uint8 array of ``len(class_names)`` entries; ``lookup[label_map]`` is the mask.
    """
    num_classes = len(class_names)
    if isinstance(foreground, str):
        preset = get_preset(foreground)
        expected = preset.label_set_classes()
        if tuple(class_names) != expected and len(class_names) != len(expected):
            raise ValueError(
                f'Foreground preset "{preset.name}" is for {preset.label_set} models '
                f'({len(expected)} classes) but the segmenter has {num_classes} classes '
                f'({", ".join(map(str, class_names[:6]))}, ...). Pick the preset of its label set '
                'or list the foreground classes.')
        if tuple(class_names) != expected:
            class_names = expected  # unnamed classes in the label set's order
        foreground = preset.classes
    if len(foreground) == 0:
        raise ValueError('The foreground class list is empty.')
    lookup = np.zeros(num_classes, dtype=np.uint8)
    index = {name: i for i, name in enumerate(class_names)}
    unknown = []
    for item in foreground:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= item < num_classes:
                unknown.append(str(item))
                continue
            lookup[item] = 1
        elif item in index:
            lookup[index[item]] = 1
        else:
            unknown.append(repr(item))
    if unknown:
        raise ValueError(f'Foreground classes {", ".join(unknown)} are not classes of the '
                         f'segmenter. Its {num_classes} classes: {", ".join(class_names)}.')
    return lookup
