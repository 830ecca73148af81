"""Tiny fake CoOp ``$DATA`` trees with the real layout and file formats, for the data tests.

Each builder writes a few classes of a few tiny images and the split source of the real shape
(``split_zhou_*.json``, FGVC's txt files, ImageNet's class folders and ``classnames.txt``), and
returns what a correct loader must find.
"""
import json
import os
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np
from PIL import Image

from fvgpt.datasets.coop_meta import get_coop_meta

#: Images per class and split of the fake trees (uneven, so few-shot caps show).
PER_CLASS = {'train': [6, 3, 5, 7, 4], 'val': [3, 2, 4, 3, 5], 'test': [2, 2, 3, 2, 2]}


@dataclass
class FakeTree:
    """What a fake dataset holds.

    Args:
        name (str): CoOp config name.
        data_root (str): the ``$DATA`` folder.
        classes (list[str]): class names by label, as the loader must report them
            (``_`` shown as spaces).
        items (dict): per split, ``(path relative to the image folder, label)`` in source order.
        image_root (str): the image folder.
        dataset_root (str): the dataset folder.
    """

    name: str
    data_root: str
    classes: List[str]
    items: Dict[str, List[Tuple[str, int]]]
    image_root: str
    dataset_root: str
    extra: dict = field(default_factory=dict)

    def counts(self) -> Dict[str, int]:
        return {k: len(v) for k, v in self.items.items()}


def write_image(path: str, seed: int, size: Tuple[int, int] = (10, 8)) -> None:
    """A tiny RGB image (JPEG or PNG by extension)."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 255, size=(size[1], size[0], 3), dtype=np.uint8)
    fmt = 'PNG' if path.lower().endswith('.png') else 'JPEG'
    Image.fromarray(arr).save(path, format=fmt)


def write_mask(path: str, size: Tuple[int, int] = (10, 8)) -> None:
    """A white-foreground RGB JPEG mask, as the authors' bundle has."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    arr = np.zeros((size[1], size[0], 3), dtype=np.uint8)
    arr[:, :size[0] // 2] = 255
    Image.fromarray(arr).save(path, format='JPEG')


def _interleave(per_class: List[int], order: List[int]) -> List[Tuple[int, int]]:
    """(label, index) pairs, the labels of a split interleaved in a non-sorted order."""
    out = []
    for rnd in range(max(per_class)):
        for label in order:
            if rnd < per_class[label]:
                out.append((label, rnd))
    return out


# Class names as CoOp's split files hold them (fixes applied), per dataset; 5 classes each.
SPLIT_NAMES = {
    'caltech101': ['accordion', 'airplane', 'face', 'leopard', 'motorbike'],
    'oxford_pets': ['abyssinian', 'american_bulldog', 'basset_hound', 'beagle', 'bengal'],
    'stanford_cars': [
        '2012 AM General Hummer SUV', '2012 Acura RL Sedan', '2012 Acura TL Sedan',
        '2007 Acura TL Type-S', '2012 Acura TSX Sedan'
    ],
    'oxford_flowers': [
        'pink primrose', 'hard-leaved pocket orchid', 'canterbury bells', 'sweet pea',
        'english marigold'
    ],
    'food101': ['apple_pie', 'baby_back_ribs', 'baklava', 'beef_carpaccio', 'beef_tartare'],
    'sun397':
    ['abbey', 'airplane_cabin', 'outdoor apartment_building', 'airport_terminal', 'alley'],
    'dtd': ['banded', 'blotchy', 'braided', 'bubbly', 'bumpy'],
    'eurosat': [
        'Annual Crop Land', 'Forest', 'Herbaceous Vegetation Land', 'Highway or Road',
        'Industrial Buildings'
    ],
    'ucf101': ['Apply_Eye_Makeup', 'Apply_Lipstick', 'Archery', 'Baby_Crawling', 'Balance_Beam'],
}


def _split_relpath(name: str, label: int, cname: str, split: str, idx: int) -> str:
    folder = cname.replace(' ', '_')
    if name == 'oxford_pets':
        return f'{folder.title()}_{split}{idx}.jpg'
    if name == 'stanford_cars':
        sub = 'cars_test' if split == 'test' else 'cars_train'
        return f'{sub}/{label:02d}{split[:2]}{idx:03d}.jpg'
    if name == 'oxford_flowers':
        return f'image_{label:02d}{split[:2]}{idx:03d}.jpg'
    if name == 'sun397':
        return f'{folder[0]}/{folder}/sun_{split}{idx}.jpg'
    if name == 'ucf101':
        return f'{folder}/v_{folder}_{split}{idx}.jpg'
    return f'{folder}/{split}_{idx}.jpg'


def make_split_tree(data_root: str,
                    name: str,
                    masks: bool = False,
                    label_order: Optional[List[int]] = None) -> FakeTree:
    """A fake split-file dataset (Caltech101, Pets, Cars, Flowers, Food, SUN, DTD, EuroSAT,
    UCF)."""
    meta = get_coop_meta(name)
    names = SPLIT_NAMES[name]
    order = label_order or [2, 0, 4, 1, 3]
    dataset_root = osp.join(data_root, meta.dataset_dir)
    image_root = osp.normpath(osp.join(dataset_root, meta.image_dir))
    split, items = {}, {}
    seed = 0
    for key, per_class in PER_CLASS.items():
        entries = []
        for label, idx in _interleave(per_class, order):
            rel = _split_relpath(name, label, names[label], key, idx)
            entries.append([rel, label, names[label]])
            seed += 1
            write_image(osp.join(image_root, rel), seed)
            if masks:
                write_mask(
                    osp.join(dataset_root, 'mask',
                             osp.relpath(osp.join(image_root, rel), dataset_root)))
        split[key] = entries
        items[key] = [(e[0], e[1]) for e in entries]
    os.makedirs(dataset_root, exist_ok=True)
    with open(osp.join(dataset_root, meta.split_file), 'w') as f:
        json.dump(split, f)
    for extra in meta.extra_files:
        if '.' in extra:
            open(osp.join(dataset_root, extra), 'w').close()
        else:
            os.makedirs(osp.join(dataset_root, extra), exist_ok=True)
    return FakeTree(name, data_root, [n.replace('_', ' ') for n in names], items, image_root,
                    dataset_root)


def make_fgvc_tree(data_root: str, masks: bool = False) -> FakeTree:
    """A fake FGVC-Aircraft (``variants.txt`` + ``images_variant_*.txt``)."""
    variants = ['707-320', '727-200', 'A300B4', 'BAE 146-200', 'Cessna 172']
    dataset_root = osp.join(data_root, 'fgvc_aircraft')
    image_root = osp.join(dataset_root, 'images')
    os.makedirs(image_root, exist_ok=True)
    with open(osp.join(dataset_root, 'variants.txt'), 'w') as f:
        f.write('\n'.join(variants) + '\n')
    items, seed = {}, 100
    for key, per_class in PER_CLASS.items():
        lines, its = [], []
        for label, idx in _interleave(per_class, [3, 1, 0, 4, 2]):
            seed += 1
            image_id = f'{seed:07d}'
            lines.append(f'{image_id} {variants[label]}')
            its.append((f'{image_id}.jpg', label))
            write_image(osp.join(image_root, f'{image_id}.jpg'), seed)
            if masks:
                write_mask(osp.join(dataset_root, 'mask', 'images', f'{image_id}.jpg'))
        with open(osp.join(dataset_root, f'images_variant_{key}.txt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        items[key] = its
    return FakeTree('fgvc_aircraft', data_root, variants, items, image_root, dataset_root)


WNIDS = [
    'n01440764', 'n01443537', 'n01484850', 'n01491361', 'n01494475', 'n01496331', 'n01498041',
    'n01514668'
]
IMAGENET_NAMES = [
    'tench', 'goldfish', 'great white shark', 'tiger shark', 'hammerhead shark', 'electric ray',
    'stingray', 'rooster'
]


def write_classnames(path: str) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        for wnid, name in zip(WNIDS, IMAGENET_NAMES):
            f.write(f'{wnid} {name}\n')


def make_imagenet_tree(data_root: str, masks: bool = False) -> FakeTree:
    """A fake ImageNet: ``images/{train,val}/<wnid>/`` for 5 of the 8 wnids that
    ``classnames.txt`` names."""
    dataset_root = osp.join(data_root, 'imagenet')
    image_root = osp.join(dataset_root, 'images')
    write_classnames(osp.join(dataset_root, 'classnames.txt'))
    wnids = WNIDS[:5]
    items = {'train': [], 'test': []}
    seed = 200
    for key, folder in (('train', 'train'), ('test', 'val')):
        for label, wnid in enumerate(wnids):
            # written in reverse so that listing order differs from sorted order
            n = PER_CLASS[key][label]
            names = [f'{wnid}_{folder}{i}.JPEG' for i in range(n)]
            for fname in reversed(names):
                seed += 1
                write_image(osp.join(image_root, folder, wnid, fname), seed)
                if masks:
                    write_mask(osp.join(dataset_root, 'mask', 'images', folder, wnid, fname))
            items[key] += [(f'{folder}/{wnid}/{f}', label) for f in sorted(names)]
    items['val'] = list(items['test'])
    return FakeTree('imagenet', data_root, IMAGENET_NAMES[:5], items, image_root, dataset_root)


def make_imagenet_test_tree(data_root: str, name: str, masks: bool = False) -> FakeTree:
    """A fake ImageNetV2 / -Sketch / -A / -R (test only, copied ``classnames.txt``)."""
    meta = get_coop_meta(name)
    dataset_root = osp.join(data_root, meta.dataset_dir)
    image_root = osp.join(dataset_root, meta.image_dir)
    write_classnames(osp.join(dataset_root, 'classnames.txt'))
    if name == 'imagenetv2':
        folders = [(str(i), i) for i in range(len(WNIDS))]
    elif name == 'imagenet_sketch':
        folders = [(w, i) for i, w in enumerate(WNIDS)]
    else:  # a 4-class "subset" of the 8 wnids, as A / R hold 200 of the 1000
        subset = [1, 3, 4, 6] if name == 'imagenet_a' else [0, 2, 5, 7]
        folders = [(WNIDS[i], i) for i in subset]
        os.makedirs(image_root, exist_ok=True)
        open(osp.join(image_root, 'README.txt'), 'w').close()
    items, classes, seed = [], [], 300
    for label, (folder, full_label) in enumerate(folders):
        classes.append(IMAGENET_NAMES[full_label])
        for i in range(2 + label % 2):
            seed += 1
            fname = f'img{i}.jpeg'
            write_image(osp.join(image_root, folder, fname), seed)
            if masks:
                write_mask(osp.join(dataset_root, 'mask', meta.image_dir, folder, fname))
            items.append((f'{folder}/{fname}', label))
    return FakeTree(name, data_root, classes, {'test': items}, image_root, dataset_root)


def make_tree(data_root: str, name: str, masks: bool = False) -> FakeTree:
    """A fake tree of any of CoOp's 15 datasets."""
    name = get_coop_meta(name).name
    if name in SPLIT_NAMES:
        return make_split_tree(data_root, name, masks=masks)
    if name == 'fgvc_aircraft':
        return make_fgvc_tree(data_root, masks=masks)
    if name == 'imagenet':
        return make_imagenet_tree(data_root, masks=masks)
    return make_imagenet_test_tree(data_root, name, masks=masks)
