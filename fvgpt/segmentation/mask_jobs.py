"""Which masks to write where: the image list of a dataset and each image's mask path.

Mask paths come from :class:`fvgpt.segmentation.mask_layout.MaskLayout` (docs/conventions.md,
"Mask layout"): a job writes the ``.png`` of form 1. The jobs of a registered dataset are made on
the dataset side (:func:`fvgpt.datasets.jobs_from_dataset`).
"""
import json
import os
import os.path as osp
from dataclasses import dataclass
from typing import List, Optional

from .mask_layout import MaskLayout

IMG_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


@dataclass(frozen=True)
class MaskJob:
    """One image and the mask file to write for it.

    Args:
        img_path (str): The image (absolute).
        rel_path (str): The image's path relative to the dataset folder (``/``-separated), which
            is also the mask's path relative to any mask root (before the ``.png`` suffix).
        mask_path (str): The PNG mask to write (absolute).
        class_name (str, optional): The image's class name (open-vocabulary queries).
        image_rel_path (str, optional): The image's path relative to the image folder (mask sets
            that mirror the image folder, e.g. the toy world's, use it). Defaults to None.
    """

    img_path: str
    rel_path: str
    mask_path: str
    class_name: Optional[str] = None
    image_rel_path: Optional[str] = None


def mask_job(layout: MaskLayout, img_path: str, class_name: Optional[str] = None) -> MaskJob:
    """The job of one image: its mask goes to :meth:`MaskLayout.write_path`.

    Args:
        layout (MaskLayout): the dataset's mask layout.
        img_path (str): the image (absolute).
        class_name (str, optional): its class name. Defaults to None.

    Returns:
        MaskJob: the job.
    """
    return MaskJob(
        img_path=img_path,
        rel_path=layout.relpath(img_path),
        mask_path=layout.write_path(img_path),
        class_name=class_name,
        image_rel_path=osp.relpath(img_path, layout.image_root).replace(os.sep, '/'))


def jobs_from_folder(dataset_dir: str,
                     image_dir: str = '',
                     split_file: Optional[str] = None,
                     mask_root: Optional[str] = None) -> List[MaskJob]:
    """Mask jobs for the images of a dataset folder.

    Args:
        dataset_dir (str): The dataset folder; image paths relative to it are the mask layout.
        image_dir (str): The image folder, relative to ``dataset_dir``. Defaults to ``''``.
        split_file (str, optional): A CoOp split file (``split_zhou_*.json``, relative to
            ``dataset_dir`` or absolute): every image of its ``train``, ``val`` and ``test`` lists
            (paths relative to ``image_dir``), with its class name. Without it, every image file
            under ``image_dir`` (but none under ``mask_root``), class name = its folder's name.
        mask_root (str, optional): Where masks go. Defaults to ``<dataset_dir>/mask``.

    Returns:
        list[MaskJob]: One job per distinct image, in split-file or sorted-path order.
    """
    dataset_dir = osp.abspath(osp.expanduser(dataset_dir))
    if not osp.isdir(dataset_dir):
        raise FileNotFoundError(f'Dataset folder not found: {dataset_dir}.')
    image_root = osp.normpath(osp.join(dataset_dir, image_dir))
    mask_root = osp.abspath(mask_root) if mask_root else osp.join(dataset_dir, 'mask')
    if not osp.isdir(image_root):
        raise FileNotFoundError(f'Image folder not found: {image_root} (image_dir="{image_dir}" '
                                f'under {dataset_dir}).')
    layout = MaskLayout(dataset_dir, image_root, mask_root)
    jobs: List[MaskJob] = []
    if split_file:
        path = split_file if osp.isabs(split_file) else osp.join(dataset_dir, split_file)
        if not osp.isfile(path):
            raise FileNotFoundError(f'Split file not found: {path}.')
        with open(path) as f:
            split = json.load(f)
        seen = set()
        for key in ('train', 'val', 'test'):
            for entry in split.get(key, []):
                rel, name = entry[0], entry[2] if len(entry) > 2 else None
                if rel in seen:
                    continue
                seen.add(rel)
                img_path = osp.join(image_root, rel)
                jobs.append(mask_job(layout, img_path, name))
        if not jobs:
            raise ValueError(f'{path} lists no images under "train", "val" or "test".')
        return jobs
    for folder, dirs, files in os.walk(image_root):
        dirs[:] = sorted(
            d for d in dirs if osp.normpath(osp.join(folder, d)) != osp.normpath(mask_root))
        for name in sorted(files):
            if name.lower().endswith(IMG_EXTENSIONS):
                img_path = osp.join(folder, name)
                class_name = osp.basename(folder).replace('_', ' ') \
                    if folder != image_root else None
                jobs.append(mask_job(layout, img_path, class_name))
    if not jobs:
        raise ValueError(f'No image files ({", ".join(IMG_EXTENSIONS)}) under {image_root}.')
    return jobs
