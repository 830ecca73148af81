"""EuroSAT as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class EuroSAT(CoOpSplitDataset):
    """EuroSAT (CoOp: ``EuroSAT``): 10 land-use classes, 5 base / 5 new.

    Folder ``eurosat/`` with ``2750/`` and ``split_zhou_EuroSAT.json``, whose class names carry
    CoOp's renames (``AnnualCrop`` -> ``Annual Crop Land``, ...).

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'eurosat'
