"""ImageNet-A as CoOp reads it (test only)."""
from fvgpt.registry import DATASETS
from .imagenet_test_set import ImageNetTestSet


@DATASETS.register_module()
class ImageNetA(ImageNetTestSet):
    """ImageNet-A (CoOp: ``ImageNetA``): its 200 ImageNet classes, test only.

    Folder ``imagenet-adversarial/`` with ``imagenet-a/<wnid>/`` (200 wnids) and ``classnames.txt``
    (ImageNet's 1000 names). Labels are the index among the 200 sorted wnids.

    Args: as :class:`B2NDataset`, with ``split='test'`` and ``subsample='all'``.
    """

    COOP_NAME = 'imagenet_a'
