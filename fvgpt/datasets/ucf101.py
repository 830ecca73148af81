"""UCF101 middle frames as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class UCF101(CoOpSplitDataset):
    """UCF101 middle frames (CoOp: ``UCF101``): 101 actions, 51 base / 50 new.

    Folder ``ucf101/`` with ``UCF-101-midframes/`` and ``split_zhou_UCF101.json``.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'ucf101'
