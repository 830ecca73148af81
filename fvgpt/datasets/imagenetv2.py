"""ImageNetV2 as CoOp reads it (test only)."""
import os.path as osp
from typing import List, Tuple

from fvgpt.registry import DATASETS
from .imagenet import read_imagenet_classnames
from .imagenet_test_set import ImageNetTestSet


@DATASETS.register_module()
class ImageNetV2(ImageNetTestSet):
    """ImageNetV2 matched-frequency (CoOp: ``ImageNetV2``): 1000 classes, test only.

    Folder ``imagenetv2/`` with ``imagenetv2-matched-frequency-format-val/0..999/`` (folder ``i``
    holds label ``i``) and ``classnames.txt`` (label ``i`` is its ``i``-th line).

    Args: as :class:`B2NDataset`, with ``split='test'`` and ``subsample='all'``.
    """

    COOP_NAME = 'imagenetv2'

    def class_folders(self) -> List[Tuple[str, str]]:
        self.check_required()
        names = list(read_imagenet_classnames(self.classnames_path).values())
        missing = [
            str(i) for i in range(len(names)) if not osp.isdir(osp.join(self.image_root, str(i)))
        ]
        if missing:
            raise FileNotFoundError(f'{self.image_root} lacks {len(missing)} class folder(s), '
                                    f'e.g. {missing[:5]} (expected 0..{len(names) - 1}). Extract '
                                    'imagenetv2-matched-frequency.tar.gz again.')
        return [(str(i), name) for i, name in enumerate(names)]
