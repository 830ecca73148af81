"""ImageNet-Sketch as CoOp reads it (test only)."""
from fvgpt.registry import DATASETS
from .imagenet_test_set import ImageNetTestSet


@DATASETS.register_module()
class ImageNetSketch(ImageNetTestSet):
    """ImageNet-Sketch (CoOp: ``ImageNetSketch``): 1000 classes, test only.

    Folder ``imagenet-sketch/`` with ``images/<wnid>/`` and ``classnames.txt``. Labels follow the
    sorted wnid folders.

    Args: as :class:`B2NDataset`, with ``split='test'`` and ``subsample='all'``.
    """

    COOP_NAME = 'imagenet_sketch'
