"""A dataset read from a CoOp split file (``split_zhou_*.json``)."""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from fvgpt.registry import DATASETS
from .b2n_dataset import SPLITS, B2NDataset, Requirement, SplitItem
from .coop_meta import COOP_DATASETS_MD, HF_MIRROR
from .fewshot import sha256_of_files


@DATASETS.register_module()
class CoOpSplitDataset(B2NDataset):
    """A dataset whose split is a CoOp split file.

    The file is ``{"train"|"val"|"test": [[relpath, label, classname], ...]}``, with ``relpath``
    relative to the image folder (CoOp's ``OxfordPets.read_split``). Class names and labels come
    from it alone. Use it directly for a dataset of your own (any folder laid out like CoOp's);
    the 9 CoOp datasets with split files are subclasses that fix the folder names.

    Example:
        >>> dataset = CoOpSplitDataset(
        ...     data_root='data', dataset_dir='toy_world', image_dir='images',
        ...     split_file='split_zhou_ToyWorld.json', templates=['a photo of a {}.'],
        ...     dataset_name='toy_world', split='train', subsample='base', num_shots=16, seed=1)

    Args:
        data_root (str): the folder that holds the dataset folder.
        split_file (str, optional): the split file, relative to the dataset folder. Required
            for the generic class; subclasses default to CoOp's file name.
        **kwargs: the arguments of :class:`B2NDataset` (``dataset_dir``, ``templates`` and
            ``dataset_name`` are required for the generic class; ``image_dir`` defaults to
            ``'images'``).
    """

    def __init__(self, data_root: str, split_file: Optional[str] = None, **kwargs) -> None:
        meta = self.coop_meta
        split_file = split_file or (meta.split_file if meta else None)
        if not split_file:
            raise ValueError(f'{type(self).__name__} needs split_file: the split_zhou-format JSON '
                             'file, relative to the dataset folder.')
        self.split_file = split_file
        super().__init__(data_root, **kwargs)

    @property
    def split_path(self) -> str:
        """The split file's absolute path."""
        return osp.join(self.dataset_root, self.split_file)

    def required_paths(self) -> List[Requirement]:
        meta = self.coop_meta
        if meta is not None:
            fix = meta.split_fix(self.split_path)
        else:
            fix = (f'write it as {{"train"|"val"|"test": [[relpath, label, classname], ...]}} '
                   f'with paths relative to {self.image_root} (CoOp\'s split files: '
                   f'{COOP_DATASETS_MD} or {HF_MIRROR})')
        return super().required_paths() + [Requirement(self.split_path, 'file', 'split file', fix)]

    def split_source(self) -> Tuple[str, str]:
        self.check_required()
        return self.split_file, sha256_of_files([self.split_path])

    def _read_split(self, keys: Sequence[str]) -> Dict[str, List[SplitItem]]:
        try:
            with open(self.split_path) as f:
                content = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{self.split_path} is not valid JSON ({e}). Download the split file '
                             'again.') from None
        if not isinstance(content, dict):
            raise ValueError(f'{self.split_path} is not a split file: expected '
                             '{"train": [...], "val": [...], "test": [...]}.')
        out = {}
        for key in SPLITS:
            if key not in content:
                raise ValueError(f'{self.split_path} has no "{key}" list; a CoOp split file has '
                                 'train, val and test. Download it again.')
            items = []
            for entry in content[key]:
                if not (isinstance(entry, (list, tuple)) and len(entry) == 3):
                    raise ValueError(f'{self.split_path}: "{key}" entries are [relpath, label, '
                                     f'classname], got {entry!r}.')
                rel, label, name = entry
                items.append((str(rel).lstrip('/'), int(label), str(name)))
            out[key] = items
        return out
