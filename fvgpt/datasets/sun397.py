"""SUN397 as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class SUN397(CoOpSplitDataset):
    """SUN397 (CoOp: ``SUN397``): 397 scenes, 199 base / 198 new.

    Folder ``sun397/`` with ``SUN397/`` and ``split_zhou_SUN397.json``.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'sun397'
