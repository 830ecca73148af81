"""Caltech101 as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class Caltech101(CoOpSplitDataset):
    """Caltech101 (CoOp: ``Caltech101``): 100 object classes, 50 base / 50 new.

    Folder ``caltech-101/`` with ``101_ObjectCategories/`` and ``split_zhou_Caltech101.json``.
    The split leaves out ``BACKGROUND_Google`` and ``Faces_easy`` and renames ``airplanes``,
    ``Faces``, ``Leopards``, ``Motorbikes`` (``airplane``, ``face``, ...).

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'caltech101'
