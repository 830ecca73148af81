"""Where the foreground mask of an image lives: the one owner of the mask layout.

The mask of image ``<dataset folder>/<image folder>/<relpath>`` is the first existing file of:

1. ``<mask root>/<image folder>/<relpath>``, i.e. ``<mask root>/<image path relative to the
   dataset folder>`` (the mask folder mirrors the dataset folder, as the authors' bundle does);
2. ``<mask root>/<relpath>`` (the mask folder mirrors the image folder, as the toy world's);

each tried as named, then as the ``.png`` and the ``.jpg`` of the same stem. Tools write form 1
as ``.png`` (:meth:`MaskLayout.write_path`). ``<mask root>`` defaults to ``<dataset folder>/mask``,
or ``<data_root>/mask/<dataset dir>`` when only that exists (:func:`resolve_mask_root`).

Datasets, ``LoadForegroundMask``, the data checks, the mask writer and its ``--compare-to`` all
ask this module; none decides a path itself.
"""
import os
import os.path as osp
from typing import List, Optional

#: Extensions tried after the mask's own name, in order (segmenters write PNG; the authors'
#: bundle keeps the image's name, mostly JPEG).
MASK_SUFFIXES = ('.png', '.jpg')


def mask_file_candidates(mask_path: str) -> List[str]:
    """The files that may hold the mask named ``mask_path``: itself, then the ``.png`` and the
    ``.jpg`` of its stem (each once).

    Args:
        mask_path (str): a mask path as the layout names it (the image's file name).

    Returns:
        list[str]: candidate files, in the order they are tried.
    """
    stem = osp.splitext(mask_path)[0]
    return list(dict.fromkeys([mask_path] + [stem + suffix for suffix in MASK_SUFFIXES]))


def find_mask_file(mask_path: str) -> Optional[str]:
    """The first existing file of :func:`mask_file_candidates`, or None."""
    for path in mask_file_candidates(mask_path):
        if osp.isfile(path):
            return path
    return None


def resolve_mask_root(data_root: str, dataset_root: str, mask_root: Optional[str] = None) -> str:
    """The mask folder of a dataset.

    Args:
        data_root (str): CoOp's ``$DATA`` folder (absolute).
        dataset_root (str): the dataset folder (absolute).
        mask_root (str, optional): the folder the user named; a relative one is taken from
            ``data_root``. Defaults to ``<dataset folder>/mask``, or
            ``<data_root>/mask/<dataset folder relative to data_root>`` when only that exists
            (the authors' per-dataset root).

    Returns:
        str: the mask folder (it may not exist).
    """
    if mask_root:
        return osp.join(data_root, osp.expanduser(mask_root))
    inside = osp.join(dataset_root, 'mask')
    beside = osp.join(data_root, 'mask', osp.relpath(dataset_root, data_root))
    if not osp.isdir(inside) and osp.isdir(beside):
        return beside
    return inside


class MaskLayout:
    """The masks of one dataset folder: where each image's mask is looked for and written.

    Args:
        dataset_root (str): the dataset folder (absolute).
        image_root (str): the image folder (absolute; may equal ``dataset_root``).
        mask_root (str): the mask folder (absolute; see :func:`resolve_mask_root`).
    """

    def __init__(self, dataset_root: str, image_root: str, mask_root: str) -> None:
        self.dataset_root = dataset_root
        self.image_root = image_root
        self.mask_root = mask_root

    def expected_path(self, img_path: str) -> str:
        """Form 1 under the image's own name: ``<mask root>/<image path relative to the dataset
        folder>`` (what a missing mask is reported as)."""
        return osp.join(self.mask_root, osp.relpath(img_path, self.dataset_root))

    def write_path(self, img_path: str) -> str:
        """Where tools write the mask of ``img_path``: form 1 as ``.png``."""
        return osp.splitext(self.expected_path(img_path))[0] + '.png'

    def candidates(self, img_path: str) -> List[str]:
        """Every file that may hold the mask of ``img_path``, in the order they are tried."""
        first = self.expected_path(img_path)
        second = osp.join(self.mask_root, osp.relpath(img_path, self.image_root))
        return list(dict.fromkeys(mask_file_candidates(first) + mask_file_candidates(second)))

    def find(self, img_path: str) -> Optional[str]:
        """The first existing file of :meth:`candidates`, or None."""
        for path in self.candidates(img_path):
            if osp.isfile(path):
                return path
        return None

    def relpath(self, img_path: str) -> str:
        """The image's path relative to the dataset folder, ``/``-separated."""
        return osp.relpath(img_path, self.dataset_root).replace(os.sep, '/')

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(dataset_root={self.dataset_root!r}, '
                f'image_root={self.image_root!r}, mask_root={self.mask_root!r})')
