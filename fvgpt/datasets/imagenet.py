"""ImageNet as CoOp reads it (class folders and CLIP's class names, no split file)."""
import os
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Sequence, Tuple

from fvgpt.registry import DATASETS
from .b2n_dataset import B2NDataset, Requirement, SplitItem
from .coop_meta import IMAGENET_CLASSNAMES_SOURCE
from .fewshot import sha256_of_items


def read_imagenet_classnames(path: str) -> 'OrderedDict[str, str]':
    """CoOp's ``ImageNet.read_classnames``: ``wnid class name`` per line, in file order."""
    classnames: 'OrderedDict[str, str]' = OrderedDict()
    with open(path) as f:
        for line in f:
            parts = line.strip().split(' ')
            if parts[0]:
                classnames[parts[0]] = ' '.join(parts[1:])
    return classnames


def list_dirs(path: str) -> List[str]:
    """The sorted names of the non-hidden sub-folders of ``path``."""
    return sorted(e.name for e in os.scandir(path) if e.is_dir() and not e.name.startswith('.'))


def list_files(path: str) -> List[str]:
    """The sorted names of the non-hidden files of ``path``.

    CoOp lists image folders with ``os.listdir`` order, which depends on the file system; the
    order matters only to the few-shot draw of ImageNet's train split, which fvgpt makes
    portable by sorting.
    """
    return sorted(e.name for e in os.scandir(path) if e.is_file() and not e.name.startswith('.'))


def classnames_fix() -> str:
    """The fix for a missing or incomplete ImageNet ``classnames.txt``."""
    return 'download ' + IMAGENET_CLASSNAMES_SOURCE


@DATASETS.register_module()
class ImageNet(B2NDataset):
    """ImageNet-1k (CoOp: ``ImageNet``): 1000 classes, 500 base / 500 new.

    Folder ``imagenet/`` with ``images/train/<wnid>/``, ``images/val/<wnid>/`` and
    ``classnames.txt`` (``wnid class name`` per line, CLIP's names). Labels follow the sorted
    wnid folders. As in CoOp, ``images/val`` is the test split and also the val split (not
    drawn few-shot); only the train split is drawn few-shot. Files of a class are taken in sorted
    order (CoOp's ``os.listdir`` order depends on the file system).

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'imagenet'
    FEWSHOT_VAL = False
    _FOLDERS = {'train': 'train', 'val': 'val', 'test': 'val'}

    @property
    def classnames_path(self) -> str:
        """CLIP's ImageNet class names."""
        return osp.join(self.dataset_root, 'classnames.txt')

    def required_paths(self) -> List[Requirement]:
        source = self.coop_meta.source
        return super().required_paths() + [
            Requirement(osp.join(self.image_root, 'train'), 'dir', 'train image folder', source),
            Requirement(osp.join(self.image_root, 'val'), 'dir', 'val image folder', source),
            Requirement(self.classnames_path, 'file', 'class-name file', classnames_fix()),
        ]

    def wnids(self) -> List[str]:
        """The sorted wnid folders of ``images/train`` (index = label)."""
        self.check_required()
        wnids = list_dirs(osp.join(self.image_root, 'train'))
        if not wnids:
            raise FileNotFoundError(f'{self.image_root}/train holds no class folders. '
                                    f'Fix: {self.coop_meta.source}')
        return wnids

    def class_names(self) -> List[str]:
        classnames = read_imagenet_classnames(self.classnames_path)
        wnids = self.wnids()
        unknown = [w for w in wnids if w not in classnames]
        if unknown:
            raise ValueError(f'{self.classnames_path} has no name for {len(unknown)} class '
                             f'folder(s) of images/train, e.g. {unknown[:5]}. Fix: '
                             f'{classnames_fix()}')
        return [self._fix_name(classnames[w]) for w in wnids]

    def train_labels(self) -> List[int]:
        if 'train' in self._split_cache:
            return super().train_labels()
        root = osp.join(self.image_root, 'train')
        return [
            label for label, wnid in enumerate(self.wnids())
            if any(e.is_file() and not e.name.startswith('.')
                   for e in os.scandir(osp.join(root, wnid)))
        ]

    def split_source(self) -> Tuple[str, str]:
        return 'images/train (file listing)', sha256_of_items(self.read_split(('train', ))['train'])

    def _read_split(self, keys: Sequence[str]) -> Dict[str, List[SplitItem]]:
        wnids = self.wnids()
        names = self.class_names()
        out = {}
        for key in keys:
            folder = self._FOLDERS[key]
            if folder == 'val':
                val_wnids = list_dirs(osp.join(self.image_root, 'val'))
                if val_wnids != wnids:
                    extra = sorted(set(val_wnids) ^ set(wnids))
                    raise ValueError(f'images/val and images/train of {self.dataset_root} hold '
                                     f'different class folders (e.g. {extra[:5]}): sort the val '
                                     'images into the same wnid folders as train.')
            items = []
            for label, wnid in enumerate(wnids):
                for name in list_files(osp.join(self.image_root, folder, wnid)):
                    items.append((f'{folder}/{wnid}/{name}', label, names[label]))
            out[key] = items
        return out
