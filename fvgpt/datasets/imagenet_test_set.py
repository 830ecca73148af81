"""The base of the test-only ImageNet variants (class folders and ImageNet's class names)."""
import os.path as osp
from typing import Dict, List, Sequence, Tuple

from .b2n_dataset import B2NDataset, Requirement, SplitItem
from .fewshot import sha256_of_items
from .imagenet import list_dirs, list_files, read_imagenet_classnames


class ImageNetTestSet(B2NDataset):
    """A test-only dataset of ImageNet classes, one folder per class (CoOp's ImageNetSketch,
    ImageNetA, ImageNetR; ImageNetV2 overrides :meth:`class_folders`).

    Class folders are named by wnid; labels follow their sorted order (for ImageNet-A and -R,
    the index among their 200 wnids); names come from ImageNet's ``classnames.txt``, copied into
    the dataset folder as CoOp's DATASETS.md says (``<data_root>/imagenet/classnames.txt`` is
    used when the copy is missing).

    Args: as :class:`B2NDataset`, with ``split='test'`` and ``subsample='all'``.
    """

    TEST_ONLY = True

    @property
    def classnames_path(self) -> str:
        """The dataset's copy of ImageNet's ``classnames.txt``, else ImageNet's own."""
        local = osp.join(self.dataset_root, 'classnames.txt')
        imagenet = osp.join(self.data_root, 'imagenet', 'classnames.txt')
        return imagenet if not osp.isfile(local) and osp.isfile(imagenet) else local

    def required_paths(self) -> List[Requirement]:
        fix = ('copy imagenet/classnames.txt here (CoOp DATASETS.md); it is "wnid class name" '
               'per line, CLIP\'s ImageNet names')
        return super().required_paths() + [
            Requirement(self.classnames_path, 'file', 'class-name file', fix)
        ]

    def class_folders(self) -> List[Tuple[str, str]]:
        """``(folder, class name)`` per label."""
        self.check_required()
        classnames = read_imagenet_classnames(self.classnames_path)
        folders = list_dirs(self.image_root)
        unknown = [f for f in folders if f not in classnames]
        if unknown:
            raise ValueError(f'{self.classnames_path} has no name for {len(unknown)} class '
                             f'folder(s) of {self.image_root}, e.g. {unknown[:5]}. Copy '
                             'ImageNet\'s classnames.txt (1000 classes) there.')
        return [(f, classnames[f]) for f in folders]

    def class_names(self) -> List[str]:
        return [self._fix_name(name) for _, name in self.class_folders()]

    def train_labels(self) -> List[int]:
        return list(range(len(self.class_folders())))

    def split_source(self) -> Tuple[str, str]:
        rel = osp.relpath(self.image_root, self.dataset_root)
        return f'{rel} (file listing)', sha256_of_items(self.read_split(('test', ))['test'])

    def _read_split(self, keys: Sequence[str]) -> Dict[str, List[SplitItem]]:
        items = []
        for label, (folder, name) in enumerate(self.class_folders()):
            for fname in list_files(osp.join(self.image_root, folder)):
                items.append((f'{folder}/{fname}', label, name))
        return {'test': items}
