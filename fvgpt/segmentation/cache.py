"""On-disk cache of a segmenter's label maps, one folder per model.

Layout::

    <root>/<model key, 16 hex>/meta.json            model key in full, config, checkpoint, classes
    <root>/<model key, 16 hex>/<h[:2]>/<h>.png      h = sha1(absolute image path [+ query])

The folder is named by the model key (a hash of the segmenter's config and of its checkpoint's
bytes, see :attr:`Segmenter.model_key`), so a cache written by another model (another config,
another checkpoint file, retrained weights) is never read. Label maps, not masks, are stored:
changing the foreground classes reuses the cache. A label map whose size differs from the image's
is treated as a miss (the image at that path was replaced) and written again.
"""
import hashlib
import json
import os.path as osp
from typing import Optional

import numpy as np

from fvgpt.utils.io import dump_json_atomic
from .mask_io import read_label_map, write_png_atomic


class SegmentationCache:
    """Label maps of one segmenter, keyed by image path (and, for open-vocabulary segmenters, the
    text query).

    Args:
        root (str): The cache folder shared by all models.
        model_key (str): The segmenter's model key (hex digest).
    """

    def __init__(self, root: str, model_key: str) -> None:
        self.root = osp.abspath(osp.expanduser(root))
        self.model_key = model_key
        self.folder = osp.join(self.root, model_key[:16])
        self.meta_path = osp.join(self.folder, 'meta.json')
        meta = self.read_meta()
        if meta is not None and meta.get('model_key') != model_key:
            raise RuntimeError(f'The segmentation cache {self.folder} belongs to model '
                               f'{meta.get("model_key")}, not {model_key}. Delete the folder.')

    def read_meta(self) -> Optional[dict]:
        """The folder's meta data (model key, config, checkpoint, class names), or ``None``."""
        if not osp.isfile(self.meta_path):
            return None
        with open(self.meta_path) as f:
            return json.load(f)

    def write_meta(self, meta: dict) -> None:
        """Records what model wrote this folder (written once, atomically)."""
        if osp.isfile(self.meta_path):
            return
        dump_json_atomic(dict(meta, model_key=self.model_key), self.meta_path)

    def path(self, img_path: str, query: Optional[str] = None) -> str:
        """The file that holds the label map of ``img_path`` (for text ``query``)."""
        key = osp.abspath(img_path) if query is None else f'{osp.abspath(img_path)}\0{query}'
        digest = hashlib.sha1(key.encode('utf-8')).hexdigest()
        return osp.join(self.folder, digest[:2], f'{digest}.png')

    def load(self,
             img_path: str,
             shape: tuple,
             query: Optional[str] = None) -> Optional[np.ndarray]:
        """The cached label map of ``img_path``, or ``None`` on a miss or a size mismatch."""
        labels = read_label_map(self.path(img_path, query))
        if labels is None or labels.shape != tuple(shape[:2]):
            return None
        return labels

    def save(self, img_path: str, labels: np.ndarray, query: Optional[str] = None) -> None:
        """Stores a label map (uint8, or uint16 for more than 256 classes)."""
        dtype = np.uint8 if labels.max(initial=0) < 256 else np.uint16
        write_png_atomic(self.path(img_path, query), labels.astype(dtype))
