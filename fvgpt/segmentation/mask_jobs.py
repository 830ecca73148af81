"""Which masks to write where: the image list of a dataset and each image's mask path.

Masks follow the data layer's rule (docs/conventions.md, "Mask layout"): the mask of
``<dataset folder>/<rel>`` is ``<mask root>/<rel>`` or the ``.png`` of the same stem, with
``<mask root>`` = ``<dataset folder>/mask`` by default. This module writes the ``.png`` form.
"""
import json
import os
import os.path as osp
from dataclasses import dataclass
from typing import List, Optional

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


def png_of(path: str) -> str:
    """``path`` with its extension replaced by ``.png``."""
    return osp.splitext(path)[0] + '.png'


def _rel(path: str, start: str) -> str:
    return osp.relpath(path, start).replace(os.sep, '/')


def _job(dataset_dir: str, image_root: str, mask_root: str, img_path: str,
         class_name: Optional[str]) -> MaskJob:
    rel = _rel(img_path, dataset_dir)
    return MaskJob(
        img_path=img_path,
        rel_path=rel,
        mask_path=png_of(osp.join(mask_root, rel)),
        class_name=class_name,
        image_rel_path=_rel(img_path, image_root))


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
                jobs.append(_job(dataset_dir, image_root, mask_root, img_path, name))
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
                jobs.append(_job(dataset_dir, image_root, mask_root, img_path, class_name))
    if not jobs:
        raise ValueError(f'No image files ({", ".join(IMG_EXTENSIONS)}) under {image_root}.')
    return jobs


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
    """
    from fvgpt.registry import DATASETS
    dataset_type = dataset
    if dataset not in DATASETS:
        from fvgpt.datasets.coop_meta import get_coop_meta
        dataset_type = get_coop_meta(dataset).fvgpt_class
    ds = DATASETS.build(
        dict(
            type=dataset_type,
            data_root=data_root,
            split='test',
            mask_root=mask_root,
            lazy_init=True))
    ds.check_required()
    split = ds.read_split(ds.available_splits())
    jobs, seen = [], set()
    for key in ds.available_splits():
        for rel, _, name in split[key]:
            img_path = osp.join(ds.image_root, rel)
            if img_path in seen:
                continue
            seen.add(img_path)
            jobs.append(
                MaskJob(
                    img_path=img_path,
                    rel_path=_rel(img_path, ds.dataset_root),
                    mask_path=png_of(ds.mask_path_of(img_path)),
                    class_name=name.replace('_', ' '),
                    image_rel_path=rel))
    return jobs
