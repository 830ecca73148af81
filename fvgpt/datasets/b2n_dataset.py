"""The base class of fvgpt's CoOp-protocol datasets: split reading, few-shot draw, base/new cut,
foreground-mask paths."""
import copy
import math
import os.path as osp
from dataclasses import dataclass
from typing import ClassVar, Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.dataset import BaseDataset

from fvgpt.segmentation.mask_layout import MaskLayout, find_mask_file, resolve_mask_root
from .coop_meta import CoOpDatasetMeta, get_coop_meta
from .fewshot import cached_fewshot_draw, draw_fewshot, fewshot_cache_dirs, fewshot_filename
from .file_check import unreadable_reason
from .mask_report import attach_masks
from .transforms.load_foreground_mask import ON_MISSING

SPLITS = ('train', 'val', 'test')
#: Item count from which the item list is serialized (``serialize_data=None``, the default).
#: mmengine serializes to stop forked dataloader workers from copying the list's Python objects
#: (reference counts are written on every read): about 0.5 KB per item per worker. It costs a
#: ``gc.collect()`` per build, 0.1-1 s in a process holding models, which dominates a toy-world
#: stage while the copies it prevents stay under ~5 MB per worker below this count.
SERIALIZE_MIN_ITEMS = 10_000
SUBSAMPLES = ('all', 'base', 'new')

#: One image of a split: (path relative to the image folder, label, class name).
SplitItem = Tuple[str, int, str]


class UnreadableFileError(OSError):
    """An image or mask file of a dataset cannot be decoded (empty, truncated, damaged)."""


@dataclass(frozen=True)
class Requirement:
    """A file or folder a dataset needs, with the fix when it is missing.

    Args:
        path (str): absolute path.
        kind (str): ``'dir'`` or ``'file'``.
        what (str): what it is, in the user's words ("split file").
        fix (str): how to get it.
    """

    path: str
    kind: str
    what: str
    fix: str

    def exists(self) -> bool:
        """Whether the file or folder is there."""
        return osp.isdir(self.path) if self.kind == 'dir' else osp.isfile(self.path)


def subsample_labels(labels: Sequence[int], subsample: str) -> List[int]:
    """CoOp's base/new cut (``OxfordPets.subsample_classes``).

    Args:
        labels (Sequence[int]): labels of the train split (repeats allowed).
        subsample (str): ``'base'`` (the first ``ceil(n / 2)`` of the sorted distinct labels) or
            ``'new'`` (the rest).

    Returns:
        list[int]: the kept labels in order; the position of a label is its new label.
    """
    if subsample not in ('base', 'new'):
        raise ValueError(f'subsample must be "base" or "new" here, got "{subsample}".')
    distinct = sorted(set(int(y) for y in labels))
    m = math.ceil(len(distinct) / 2)
    return distinct[:m] if subsample == 'base' else distinct[m:]


class B2NDataset(BaseDataset):
    """A dataset of the CoOp base-to-new protocol, read from CoOp's ``$DATA`` layout.

    Subclasses say where the split comes from (:meth:`_read_split`, :meth:`split_source`,
    :meth:`required_paths`); this class does the rest exactly as CoOp's code does:

    1. **Few-shot** (``num_shots`` >= 1, train and val only): the subset Dassl draws for
       ``(num_shots, seed)`` from the split (:mod:`fvgpt.datasets.fewshot`), over all classes
       before the base/new cut; val with ``min(num_shots, 4)`` per class; cached as a portable
       ``fewshot_{K}shot_seed{S}.json`` in ``fewshot_cache_dir`` and reused.
    2. **Base / new / all**: the labels of the train split sorted; base = the first
       ``ceil(n / 2)``, new = the rest, re-indexed from 0, for train, val and test alike.
    3. **Masks** (``with_mask=True``): each sample gets ``mask_path`` =
       ``<mask_root>/<image path relative to the dataset folder>`` (or the ``.png`` of the same
       stem; or, for a mask folder that mirrors the image folder, ``<mask_root>/<image path
       relative to the image folder>``), read by the ``LoadForegroundMask`` transform. See
       docs/conventions.md, "Mask layout", and :meth:`mask_candidates`.

    ``metainfo`` holds ``classes`` (CoOp's class names with ``_`` shown as spaces, as CoOp's
    prompt builders use them; index = label), ``templates`` (CoOp's hand-made template),
    ``subsample`` and ``dataset_name``. Each data item holds ``img_path`` (absolute),
    ``gt_label`` and, with masks, ``mask_path`` and ``mask_on_missing``.

    Args:
        data_root (str): CoOp's ``$DATA`` folder (the one holding ``oxford_pets/``, ...).
        split (str): ``'train'``, ``'val'`` or ``'test'``. Defaults to ``'train'``.
        subsample (str): ``'base'``, ``'new'`` or ``'all'`` classes. Defaults to ``'all'``.
        num_shots (int, optional): shots per class of the train split (val: at most 4). None or
            0 uses the whole split. The test split is never subsampled. Defaults to None.
        seed (int): seed of the few-shot draw (CoOp's ``SEED``). Defaults to 1.
        with_mask (bool): add ``mask_path`` to the items. Defaults to False.
        mask_root (str, optional): the folder that mirrors the dataset folder with masks.
            Relative paths are taken from ``data_root``. Defaults to ``<dataset folder>/mask``,
            or ``<data_root>/mask/<dataset dir>`` when only that exists (the authors' layout).
        on_missing (str): a missing mask file: ``'error'`` (raise when the dataset is built,
            naming the paths) or ``'invalid'`` (the sample's mask is all zeros with
            ``fg_mask_valid=False``). Defaults to ``'error'``.
        fewshot_cache_dir (str, optional): folder of the few-shot draw files. Relative paths are
            taken from ``data_root``. Defaults to ``<dataset folder>/split_fewshot``, falling
            back to ``$FVGPT_CACHE_DIR`` (``~/.cache/fvgpt``) when that is not writable.
        dataset_dir (str, optional): the dataset folder under ``data_root``. Defaults to
            CoOp's.
        image_dir (str, optional): the image folder under the dataset folder. Defaults to
            CoOp's.
        templates (list[str], optional): prompt templates. Defaults to CoOp's template.
        dataset_name (str, optional): ``metainfo['dataset_name']``. Defaults to CoOp's config
            name (``'oxford_pets'``).
        metainfo (dict, optional): extra meta information (not ``classes``, ``templates``,
            ``subsample`` or ``dataset_name``, which come from the arguments above).
        pipeline (list): the data pipeline.
        lazy_init (bool): defer reading until first use. Defaults to False.
        serialize_data (bool, optional): hold the items as one serialized array (mmengine's
            ``BaseDataset``). None serializes lists of at least :data:`SERIALIZE_MIN_ITEMS`
            items (ImageNet's test set, full train sets) and keeps smaller ones (few-shot
            splits) as Python objects. Defaults to None.
        **kwargs: other arguments of mmengine's ``BaseDataset`` (``indices``, ``test_mode``,
            ``max_refetch``).
    """

    #: CoOp's config name of the dataset (the key of ``COOP_DATASETS``); None for generic ones.
    COOP_NAME: ClassVar[Optional[str]] = None
    #: Whether the val split is drawn few-shot (False for ImageNet, whose val is its test set).
    FEWSHOT_VAL: ClassVar[bool] = True
    #: Whether the dataset has a test split only (ImageNet-V2/-Sketch/-A/-R).
    TEST_ONLY: ClassVar[bool] = False
    #: The metainfo keys the arguments set.
    OWN_META_KEYS: ClassVar[Tuple[str, ...]] = ('classes', 'templates', 'subsample', 'dataset_name')

    def __init__(self,
                 data_root: str,
                 split: str = 'train',
                 subsample: str = 'all',
                 num_shots: Optional[int] = None,
                 seed: int = 1,
                 with_mask: bool = False,
                 mask_root: Optional[str] = None,
                 on_missing: str = 'error',
                 fewshot_cache_dir: Optional[str] = None,
                 dataset_dir: Optional[str] = None,
                 image_dir: Optional[str] = None,
                 templates: Optional[Sequence[str]] = None,
                 dataset_name: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 pipeline: Sequence = (),
                 lazy_init: bool = False,
                 serialize_data: Optional[bool] = None,
                 **kwargs) -> None:
        meta = self.coop_meta
        if not data_root:
            raise ValueError(f'{type(self).__name__} needs data_root: the folder that holds '
                             'CoOp\'s dataset folders ($DATA).')
        if split not in SPLITS:
            raise ValueError(f'split must be one of {SPLITS}, got "{split}".')
        if subsample not in SUBSAMPLES:
            raise ValueError(f'subsample must be one of {SUBSAMPLES}, got "{subsample}".')
        if on_missing not in ON_MISSING:
            raise ValueError(f'on_missing must be one of {ON_MISSING}, got "{on_missing}".')
        if num_shots is not None and (not isinstance(num_shots, int) or num_shots < 0):
            raise ValueError(f'num_shots must be None or an int >= 0, got {num_shots!r}.')
        if self.TEST_ONLY and (split != 'test' or subsample != 'all'):
            raise ValueError(f'{type(self).__name__} is a test-only dataset: use split="test" '
                             f'and subsample="all" (got split="{split}", '
                             f'subsample="{subsample}").')
        own = sorted(set(metainfo or {}) & set(self.OWN_META_KEYS))
        if own:
            raise ValueError(f'metainfo may not set {own}: classes come from the split, and '
                             'templates, subsample and dataset_name are arguments.')
        if meta is not None:  # CoOp's folders, template and name unless overridden
            dataset_dir = meta.dataset_dir if dataset_dir is None else dataset_dir
            image_dir = meta.image_dir if image_dir is None else image_dir
            templates = [meta.template] if templates is None else templates
            dataset_name = dataset_name or meta.name
        image_dir = 'images' if image_dir is None else image_dir
        if dataset_dir is None or templates is None or dataset_name is None:
            raise ValueError(f'{type(self).__name__} needs dataset_dir, templates and '
                             'dataset_name.')
        if isinstance(templates, str):
            templates = [templates]
        for template in templates:
            if template.count('{}') != 1:
                raise ValueError(f'A template holds exactly one "{{}}", got "{template}".')

        self.split = split
        self.subsample = subsample
        self.num_shots = num_shots or None
        self.seed = seed
        self.with_mask = with_mask
        self.on_missing = on_missing
        self.templates = list(templates)
        self.dataset_name = dataset_name
        data_root = osp.abspath(osp.expanduser(data_root))
        self.dataset_root = osp.join(data_root, dataset_dir)
        self.image_root = osp.normpath(osp.join(self.dataset_root, image_dir))
        self._mask_root_arg = mask_root
        self._fewshot_cache_dir_arg = fewshot_cache_dir
        self._split_cache: Dict[str, List[SplitItem]] = {}
        # None: decided in load_data_list, from the item count (BaseDataset serializes after it).
        self._serialize_auto = serialize_data is None
        super().__init__(
            data_root=data_root,
            metainfo=metainfo,
            pipeline=list(pipeline),
            lazy_init=lazy_init,
            serialize_data=bool(serialize_data),
            **kwargs)

    # ---------------------------------------------------------------- what subclasses provide

    @property
    def coop_meta(self) -> Optional[CoOpDatasetMeta]:
        """CoOp's entry of this dataset (None for generic datasets)."""
        return get_coop_meta(self.COOP_NAME) if self.COOP_NAME else None

    def required_paths(self) -> List[Requirement]:
        """The folders and files the dataset reads, in the order to check them."""
        source = getattr(self.coop_meta, 'source', '') or 'the dataset\'s images'
        reqs = [
            Requirement(self.dataset_root, 'dir', 'dataset folder',
                        f'create it under data_root={self.data_root} with {source}')
        ]
        if self.image_root != self.dataset_root:
            reqs.append(Requirement(self.image_root, 'dir', 'image folder', f'get {source}'))
        return reqs

    def _read_split(self, keys: Sequence[str]) -> Dict[str, List[SplitItem]]:
        """Reads the lists ``keys`` of the split (``SplitItem`` per image, in file order)."""
        raise NotImplementedError

    def split_source(self) -> Tuple[str, str]:
        """The split's source, relative to the dataset folder, and its SHA-256."""
        raise NotImplementedError

    def class_names(self) -> List[str]:
        """CoOp's class names, index = label (before any base/new cut)."""
        split = self.read_split(self.available_splits())
        names: Dict[int, str] = {}
        for key in self.available_splits():
            for rel, label, name in split[key]:
                if names.setdefault(label, name) != name:
                    raise ValueError(f'Label {label} has two class names in '
                                     f'{self.split_source()[0]} ("{names[label]}" and "{name}", '
                                     f'e.g. at {rel}). The split file is damaged: download it '
                                     'again.')
        return self._dense_names(names)

    def train_labels(self) -> List[int]:
        """The labels of the train split (CoOp's base/new cut sorts these)."""
        return [label for _, label, _ in self.read_split(('train', ))['train']]

    # ---------------------------------------------------------------------- shared machinery

    def available_splits(self) -> Tuple[str, ...]:
        """The lists the dataset has."""
        return ('test', ) if self.TEST_ONLY else SPLITS

    def check_required(self) -> None:
        """Raises ``FileNotFoundError`` naming every missing folder or file and its fix."""
        missing = [r for r in self.required_paths() if not r.exists()]
        if missing:
            lines = [f'  - {r.what} not found: {r.path}\n    fix: {r.fix}' for r in missing]
            raise FileNotFoundError(
                f'{type(self).__name__} ({self.dataset_name}) cannot be read from data_root='
                f'{self.data_root}:\n' + '\n'.join(lines) +
                '\n  (docs/datasets.md explains the layout; tools/check_data.py checks a tree.)')

    def read_split(self, keys: Sequence[str] = SPLITS) -> Dict[str, List[SplitItem]]:
        """The split lists ``keys`` (cached); raises with the fix when a file is missing."""
        keys = [k for k in keys if k not in self._split_cache]
        if keys:
            self.check_required()
            self._split_cache.update(self._read_split(keys))
        return self._split_cache

    def _fix_name(self, name: str) -> str:
        fixes = getattr(self.coop_meta, 'classname_fixes', None) or {}
        return fixes.get(name, name)

    def _dense_names(self, names: Dict[int, str]) -> List[str]:
        if not names:
            raise ValueError(f'{self.split_source()[0]} lists no images.')
        num = max(names) + 1
        gaps = [y for y in range(num) if y not in names]
        if gaps or min(names) < 0:
            raise ValueError(f'Labels of {self.split_source()[0]} are not 0..{num - 1}: no image '
                             f'has label(s) {gaps[:10]}. The split file is damaged: download it '
                             'again.')
        dense = [self._fix_name(names[y]) for y in range(num)]
        # Prompts show "_" as a space: "red_circle" and "red circle" are one prompt.
        first: Dict[str, int] = {}
        for label, name in enumerate(dense):
            shown = name.replace('_', ' ').strip().lower()
            if shown in first:
                raise ValueError(
                    f'Labels {first[shown]} and {label} of {self.split_source()[0]} have the same '
                    f'class name ("{dense[first[shown]]}" and "{name}"): a text classifier would '
                    'score them as one prompt. Give each label its own name in the split file.')
            first[shown] = label
        return dense

    def fewshot_cache_dirs(self, sha: Optional[str] = None) -> List[str]:
        """The folders searched for a few-shot draw, the first being where it is written
        (:func:`fvgpt.datasets.fewshot.fewshot_cache_dirs`).

        Args:
            sha (str, optional): the split source's SHA-256 (computed when not given), which
                names the fallback folder.
        """
        return fewshot_cache_dirs(self.data_root, self.dataset_root, self.dataset_name, sha
                                  or self.split_source()[1], self._fewshot_cache_dir_arg)

    def fewshot_draw(self) -> Dict[str, List[Tuple[str, int]]]:
        """The few-shot draw of ``(num_shots, seed)``: read from the cache, or drawn and cached
        (:func:`fvgpt.datasets.fewshot.cached_fewshot_draw`).

        Returns:
            dict: ``train`` (and ``val`` when it is drawn) lists of ``(relpath, label)``.
        """
        keys = ['train', 'val'] if self.FEWSHOT_VAL else ['train']
        source, sha = self.split_source()

        def draw() -> Dict[str, List[Tuple[str, int]]]:
            split = self.read_split(keys)
            return draw_fewshot(split['train'], split['val'] if self.FEWSHOT_VAL else None,
                                self.num_shots, self.seed)

        return cached_fewshot_draw(
            self.fewshot_cache_dirs(sha),
            draw,
            dataset=self.dataset_name,
            num_shots=self.num_shots,
            seed=self.seed,
            source=source,
            source_sha256=sha,
            keys=keys)

    def _items_of_split(self) -> List[SplitItem]:
        split = self.split
        if split == 'test' or self.num_shots is None or (split == 'val' and not self.FEWSHOT_VAL):
            return self.read_split((split, ))[split]
        draw = self.fewshot_draw()[split]
        full = {rel: (label, name) for rel, label, name in self.read_split((split, ))[split]}
        items = []
        for rel, label in draw:
            if rel not in full or full[rel][0] != label:
                raise ValueError(
                    f'The few-shot draw of {self.dataset_name} lists {rel} (label {label}), '
                    f'which the {split} split does not hold with that label. Delete '
                    f'{fewshot_filename(self.num_shots, self.seed)} from '
                    f'{self.fewshot_cache_dirs()[0]} to redraw.')
            items.append((rel, label, full[rel][1]))
        return items

    @property
    def mask_root(self) -> str:
        """The folder that mirrors the dataset folder with masks
        (:func:`fvgpt.segmentation.mask_layout.resolve_mask_root`)."""
        return resolve_mask_root(self.data_root, self.dataset_root, self._mask_root_arg)

    @property
    def mask_layout(self) -> MaskLayout:
        """Where this dataset's masks are looked for and written (docs/conventions.md, "Mask
        layout")."""
        return MaskLayout(self.dataset_root, self.image_root, self.mask_root)

    def mask_path_of(self, img_path: str) -> str:
        """Where the mask of ``img_path`` is expected first: ``<mask_root>/<image path relative
        to the dataset folder>`` (:meth:`MaskLayout.expected_path`)."""
        return self.mask_layout.expected_path(img_path)

    def mask_candidates(self, img_path: str) -> List[str]:
        """The files that may hold the mask of ``img_path``, in the order they are tried
        (:meth:`MaskLayout.candidates`)."""
        return self.mask_layout.candidates(img_path)

    def find_mask(self, img_path: str) -> Optional[str]:
        """The first existing file of :meth:`mask_candidates`, or None."""
        return self.mask_layout.find(img_path)

    def load_data_list(self) -> List[dict]:
        """Reads the split, applies the few-shot draw and the base/new cut; with masks, adds each
        sample's mask file and reports the missing and unusable ones
        (:func:`fvgpt.datasets.mask_report.attach_masks`)."""
        names = self.class_names()
        if self.subsample == 'all':
            kept = list(range(len(names)))
        else:
            kept = subsample_labels(self.train_labels(), self.subsample)
        relabel = {label: new for new, label in enumerate(kept)}
        data_list = [
            dict(img_path=osp.join(self.image_root, rel), gt_label=relabel[label])
            for rel, label, _ in self._items_of_split() if label in relabel
        ]
        if self.with_mask:
            attach_masks(data_list, self.mask_layout, self.on_missing,
                         f'{self.dataset_name} ({self.split}, {self.subsample})',
                         self.check_command())
        self._metainfo.update(
            classes=tuple(names[label].replace('_', ' ') for label in kept),
            templates=list(self.templates),
            subsample=self.subsample,
            dataset_name=self.dataset_name)
        self._split_cache = {}  # the full lists are not needed any more (ImageNet: 1.3M items)
        if self._serialize_auto:
            self.serialize_data = len(data_list) >= SERIALIZE_MIN_ITEMS
        return data_list

    # ------------------------------------------------------------------------- loading
    def prepare_data(self, idx: int):
        """Runs the pipeline on sample ``idx``; a file that cannot be read is named.

        When the pipeline fails and the sample's image or mask does not decode completely, the
        error names that file and the command that finds every such file; other errors pass
        unchanged.
        """
        data_info = self.get_data_info(idx)
        try:
            return self.pipeline(data_info)
        except Exception as err:
            files = [('image', data_info.get('img_path'))]
            if data_info.get('mask_path'):
                files.append(('mask', find_mask_file(data_info['mask_path'])))
            bad = [(what, path, unreadable_reason(path)) for what, path in files
                   if path and osp.exists(path)]
            bad = [(what, path, reason) for what, path, reason in bad if reason]
            if not bad:
                raise
            what, path, reason = bad[0]
            raise UnreadableFileError(
                f'Unreadable {what} file {path}: {reason} (sample {idx} of {self.dataset_name}, '
                f'split {self.split}; the loader said: {type(err).__name__}: {err}). Replace the '
                'file. To find every unreadable image and mask of the dataset: '
                f'{self.check_command()}') from err

    def check_command(self) -> str:
        """The ``tools/check_data.py`` command that reads every file of this dataset."""
        if self.COOP_NAME:
            return (f'python tools/check_data.py --data-root {self.data_root} --datasets '
                    f'{self.COOP_NAME}' + (' --masks' if self.with_mask else ''))
        return ('python tools/check_data.py --config <the config you ran>' +
                (' --masks' if self.with_mask else ''))

    # ------------------------------------------------------------- mmpretrain-style accessors

    @property
    def metainfo(self) -> dict:
        """``classes``, ``templates``, ``subsample``, ``dataset_name`` (reads the split on first
        use when built with ``lazy_init=True``)."""
        if not self._fully_initialized:
            self.full_init()
        return copy.deepcopy(self._metainfo)

    @property
    def CLASSES(self) -> Tuple[str, ...]:
        """The class names (mmpretrain's accessor)."""
        return self.metainfo['classes']

    def get_gt_labels(self) -> np.ndarray:
        """The labels of all samples."""
        return np.array([self.get_data_info(i)['gt_label'] for i in range(len(self))])

    def get_cat_ids(self, idx: int) -> List[int]:
        """The label of sample ``idx``, as a list (for class-aware samplers)."""
        return [int(self.get_data_info(idx)['gt_label'])]

    def __repr__(self) -> str:
        head = f'Dataset {type(self).__name__} ({self.dataset_name})'
        body = [
            f'data_root: {self.data_root}', f'split: {self.split}', f'subsample: {self.subsample}',
            f'num_shots: {self.num_shots}', f'seed: {self.seed}', f'with_mask: {self.with_mask}'
        ]
        if self._fully_initialized:
            body += [
                f'number of samples: {len(self)}',
                f'number of classes: {len(self._metainfo["classes"])}'
            ]
        return '\n'.join([head] + ['    ' + line for line in body])
