"""Food-101 as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class Food101(CoOpSplitDataset):
    """Food-101 (CoOp: ``Food101``): 101 dishes, 51 base / 50 new.

    Folder ``food-101/`` with ``images/``, ``meta/`` and ``split_zhou_Food101.json``.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'food101'
