"""FGVC-Aircraft as CoOp reads it (from the official split files, no JSON)."""
import os.path as osp
from typing import Dict, List, Sequence, Tuple

from fvgpt.registry import DATASETS
from .b2n_dataset import B2NDataset, Requirement, SplitItem
from .fewshot import sha256_of_files

SPLIT_FILES = {key: f'images_variant_{key}.txt' for key in ('train', 'val', 'test')}
VARIANTS_FILE = 'variants.txt'


@DATASETS.register_module()
class FGVCAircraft(B2NDataset):
    """FGVC-Aircraft (CoOp: ``FGVCAircraft``): 100 variants, 50 base / 50 new.

    Folder ``fgvc_aircraft/`` (the ``data/`` folder of ``fgvc-aircraft-2013b``) with ``images/``,
    ``variants.txt`` (class names in label order) and ``images_variant_{train,val,test}.txt``
    (``<image id> <variant>`` per line; the image is ``images/<image id>.jpg``).

    Args: as :class:`B2NDataset` (``data_root`` is CoOp's ``$DATA``).
    """

    COOP_NAME = 'fgvc_aircraft'

    def _files(self) -> List[str]:
        return [osp.join(self.dataset_root, f) for f in (VARIANTS_FILE, *SPLIT_FILES.values())]

    def required_paths(self) -> List[Requirement]:
        fix = f'it comes with {self.coop_meta.source}'
        whats = ['class list'] + [f'{key} split file' for key in SPLIT_FILES]
        return super().required_paths() + [
            Requirement(path, 'file', what, fix) for what, path in zip(whats, self._files())
        ]

    def split_source(self) -> Tuple[str, str]:
        self.check_required()
        return (f'{VARIANTS_FILE} + images_variant_{{train,val,test}}.txt',
                sha256_of_files(self._files()))

    def _read_lines(self, name: str) -> List[str]:
        with open(osp.join(self.dataset_root, name)) as f:
            return [line.strip() for line in f if line.strip()]

    def _read_split(self, keys: Sequence[str]) -> Dict[str, List[SplitItem]]:
        classnames = self._read_lines(VARIANTS_FILE)
        cname2lab = {name: label for label, name in enumerate(classnames)}
        out = {}
        for key in keys:
            items = []
            for line in self._read_lines(SPLIT_FILES[key]):
                image_id, _, variant = line.partition(' ')
                if variant not in cname2lab:
                    raise ValueError(f'{SPLIT_FILES[key]} in {self.dataset_root} names variant '
                                     f'"{variant}" (image {image_id}), which {VARIANTS_FILE} '
                                     'does not list. Extract both from the same archive.')
                items.append((f'{image_id}.jpg', cname2lab[variant], variant))
            out[key] = items
        return out

    def class_names(self) -> List[str]:
        self.check_required()
        return [self._fix_name(name) for name in self._read_lines(VARIANTS_FILE)]
