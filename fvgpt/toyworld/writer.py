"""Writes a toy world to disk in the layout of CoOp's per-dataset folders.

::

    <data_root>/<dataset_dir>/                      dataset_dir defaults to 'toyworld'
        images/<class_dir>/<split>_<index>.png      64 x 64 RGB (config.image_size)
        mask/<class_dir>/<split>_<index>.png        single channel, 0 / 255 (authors' layout:
                                                    mask/<image path relative to images/>)
        split_zhou_ToyWorld.json                    {"train"|"val"|"test": [[relpath, label,
                                                    classname], ...]}, relpath under images/
        toyworld_meta.json                          the generator config and, per image, its
                                                    split, texture, spurious flag, mask fault
                                                    and foreground area

The split file and the meta file are written last, so an interrupted run leaves no split file and
the next run starts over; a complete world with the same config is left as it is.
"""
import json
import os
import os.path as osp
from typing import Callable, Dict, List, Optional

import numpy as np
from PIL import Image

from .world import SPLITS, ToyWorld, ToyWorldConfig

#: Metadata of the default toy world, for registering it as a dataset.
TOYWORLD_INFO = dict(
    name='ToyWorld',
    dataset_dir='toyworld',
    image_dir='images',
    mask_dir='mask',
    split_file='split_zhou_ToyWorld.json',
    template='a photo of a {}.',
    classnames=ToyWorld().classes,
    num_base=ToyWorld().num_base,
)

META_FILE = 'toyworld_meta.json'


def save_png(array: np.ndarray, path: str) -> None:
    """Saves a uint8 array (``(H, W)`` or ``(H, W, 3)`` RGB) as PNG, creating its folder."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path, optimize=False, compress_level=6)


def build_split(world: ToyWorld) -> Dict[str, List[list]]:
    """The split_zhou dict of a world: ``{split: [[relpath, label, classname], ...]}``."""
    return {
        split: [[world.relpath(split, label, i), label, world.classes[label]]
                for label in range(world.num_classes) for i in range(world.num_per_class(split))]
        for split in SPLITS
    }


def write_toyworld(data_root: str,
                   config: Optional[ToyWorldConfig] = None,
                   dataset_dir: str = TOYWORLD_INFO['dataset_dir'],
                   overwrite: bool = False,
                   progress: bool = True,
                   on_image: Optional[Callable[[int, int], None]] = None) -> str:
    """Generates a toy world under ``<data_root>/<dataset_dir>``.

    Args:
        data_root (str): the data root holding CoOp-style dataset folders.
        config (ToyWorldConfig, optional): the world. Defaults to ``ToyWorldConfig()``.
        dataset_dir (str): folder of the world under ``data_root``. Defaults to 'toyworld'.
        overwrite (bool): replace a complete world generated with another config. Defaults to
            False, which raises instead.
        progress (bool): show a progress bar. Defaults to True.
        on_image (Callable, optional): called with (images written, total) after each image
            (a caller's own progress display).

    Returns:
        str: the dataset folder.
    """
    config = config or ToyWorldConfig()
    world = ToyWorld(config)
    root = osp.join(data_root, dataset_dir)
    split_path = osp.join(root, TOYWORLD_INFO['split_file'])
    meta_path = osp.join(root, META_FILE)
    if osp.isfile(split_path) and osp.isfile(meta_path):
        with open(meta_path) as f:
            old = json.load(f).get('config')
        if old == config.to_dict():
            if progress:
                print(f'[toyworld] {root} already holds this world; nothing to do.')
            return root
        if not overwrite:
            raise FileExistsError(
                f'{root} holds a toy world generated with another config ({meta_path}). Pass '
                'overwrite=True (tools/toyworld/generate.py --overwrite) to replace it, or choose '
                'another data root or dataset_dir.')
    for stale in (split_path, meta_path):
        if osp.isfile(stale):
            os.remove(stale)

    split = build_split(world)
    total = sum(len(v) for v in split.values())
    bar = None
    if progress:
        from mmengine.utils import ProgressBar
        print(f'[toyworld] writing {total} images of {world.num_classes} classes to {root}')
        bar = ProgressBar(total)
    items = {}
    jobs = [(name, label, i) for name in SPLITS for label in range(world.num_classes)
            for i in range(world.num_per_class(name))]
    for count, (name, label, index) in enumerate(jobs, 1):
        relpath = world.relpath(name, label, index)
        sample = world.sample(name, label, index)
        save_png(sample.image, osp.join(root, TOYWORLD_INFO['image_dir'], relpath))
        save_png(sample.written_mask * 255, osp.join(root, TOYWORLD_INFO['mask_dir'], relpath))
        spec = sample.spec
        items[relpath] = dict(
            split=name,
            label=label,
            texture=spec.texture,
            spurious=spec.spurious,
            mask_fault=spec.mask_fault,
            distractor=spec.distractor.label if spec.distractor else None,
            area=round(float(sample.mask.mean()), 4),
            size=world.size_word(spec))
        if bar is not None and index == world.num_per_class(name) - 1:
            bar.update(index + 1)  # once per class and split: few lines in a log file
        if on_image is not None:
            on_image(count, total)
    if bar is not None:
        print()
    with open(split_path, 'w') as f:
        json.dump(split, f, indent=1)
    meta = dict(
        config=config.to_dict(),
        classes=list(world.classes),
        num_base=world.num_base,
        template=TOYWORLD_INFO['template'],
        items=items)
    with open(meta_path, 'w') as f:
        json.dump(meta, f, indent=1)
    return root
