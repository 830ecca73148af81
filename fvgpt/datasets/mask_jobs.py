"""The mask jobs of a registered dataset: every image of every split, with the mask path that
dataset reads (the dataset side of ``tools/prepare_foreground.py``; segmentation knows no
dataset)."""
import os.path as osp
from typing import List, Optional

from fvgpt.registry import DATASETS
from fvgpt.segmentation.mask_jobs import MaskJob, mask_job
from .coop_meta import get_coop_meta


def jobs_from_dataset(dataset: str,
                      data_root: str,
                      mask_root: Optional[str] = None) -> List[MaskJob]:
    """Mask jobs for every image of every split of a registered fvgpt dataset.

    The dataset class decides the image folder, the split and the mask folder, so the masks land
    exactly where that dataset (built with ``with_mask=True``) looks for them.

    Args:
        dataset (str): A dataset type of the fvgpt registry (``'OxfordPets'``) or a CoOp dataset
            name (``'oxford_pets'``).
        data_root (str): CoOp's ``$DATA`` folder, as in the dataset configs.
        mask_root (str, optional): The dataset's ``mask_root`` argument. Defaults to the
            dataset's default (``<dataset folder>/mask``).

    Returns:
        list[MaskJob]: one job per distinct image, in split order.
    """
    dataset_type = dataset if dataset in DATASETS else get_coop_meta(dataset).fvgpt_class
    ds = DATASETS.build(
        dict(
            type=dataset_type,
            data_root=data_root,
            split='test',
            mask_root=mask_root,
            lazy_init=True))
    ds.check_required()
    split = ds.read_split(ds.available_splits())
    layout = ds.mask_layout
    jobs, seen = [], set()
    for key in ds.available_splits():
        for rel, _, name in split[key]:
            img_path = osp.join(ds.image_root, rel)
            if img_path in seen:
                continue
            seen.add(img_path)
            jobs.append(mask_job(layout, img_path, name.replace('_', ' ')))
    return jobs
