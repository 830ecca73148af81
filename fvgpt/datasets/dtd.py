"""Describable Textures as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class DTD(CoOpSplitDataset):
    """Describable Textures (CoOp: ``DescribableTextures``): 47 textures, 24 base / 23 new.

    Folder ``dtd/`` with ``images/``, ``imdb/``, ``labels/`` and
    ``split_zhou_DescribableTextures.json``.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'dtd'
