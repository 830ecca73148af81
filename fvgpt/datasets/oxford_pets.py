"""Oxford-IIIT Pets as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class OxfordPets(CoOpSplitDataset):
    """Oxford-IIIT Pets (CoOp: ``OxfordPets``): 37 breeds, 19 base / 18 new.

    Folder ``oxford_pets/`` with ``images/``, ``annotations/`` and ``split_zhou_OxfordPets.json``.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'oxford_pets'
