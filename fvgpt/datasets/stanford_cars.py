"""Stanford Cars as CoOp reads it."""
from fvgpt.registry import DATASETS
from .coop_split_dataset import CoOpSplitDataset


@DATASETS.register_module()
class StanfordCars(CoOpSplitDataset):
    """Stanford Cars (CoOp: ``StanfordCars``): 196 models, 98 base / 98 new.

    Folder ``stanford_cars/`` with ``cars_train/``, ``cars_test/``, ``devkit/``,
    ``cars_test_annos_withlabels.mat`` and ``split_zhou_StanfordCars.json``, whose paths
    (``cars_train/00001.jpg``) start at the dataset folder.

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'stanford_cars'
