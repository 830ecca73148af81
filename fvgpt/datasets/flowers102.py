"""Oxford Flowers 102 as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class Flowers102(CoOpSplitDataset):
    """Oxford Flowers 102 (CoOp: ``OxfordFlowers``): 102 species, 51 base / 51 new.

    Folder ``oxford_flowers/`` with ``jpg/``, ``imagelabels.mat``, ``cat_to_name.json`` and
    ``split_zhou_OxfordFlowers.json``.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'oxford_flowers'
