"""Writing the foreground masks of a list of images: batched, resumable, with a report.

Used by ``tools/prepare_foreground.py``. Each mask is a single-channel 0/255 PNG written through a
temporary file and ``os.replace`` (:func:`write_mask_png`), so an interrupted run leaves only
complete files, and the next run skips them.
"""
import os.path as osp
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import mmcv
import numpy as np
from tqdm import tqdm

from .mask_io import read_binary_mask, write_mask_png
from .mask_jobs import MaskJob
from .mask_layout import mask_file_candidates
from .report import PrepareReport


@dataclass
class _Loaded:
    """A job with what its worker read: the existing mask (skip) or the image (to segment)."""

    job: MaskJob
    mask: Optional[np.ndarray] = None
    image: Optional[np.ndarray] = None
    reference: Optional[np.ndarray] = None
    error: Optional[str] = None
    skip: bool = False


def reference_candidates(reference_root: str, job: MaskJob) -> List[str]:
    """Where a reference mask set (e.g. the authors' JPEG bundle) may keep the mask of ``job``:
    the mask layout (:mod:`.mask_layout`) with ``reference_root`` as the mask folder, i.e. its
    path relative to the dataset folder, then relative to the image folder (mask sets that mirror
    the image folder), each as named, then as ``.png`` and ``.jpg``."""
    out: List[str] = []
    for rel in (job.rel_path, job.image_rel_path):
        if rel:
            out += mask_file_candidates(osp.join(reference_root, rel))
    return list(dict.fromkeys(out))


def read_reference(reference_root: str, job: MaskJob) -> Optional[np.ndarray]:
    """The reference mask of ``job`` as HxW uint8 {0, 1}, or ``None`` when absent."""
    for path in reference_candidates(reference_root, job):
        if osp.isfile(path):
            return read_binary_mask(path)
    return None


def mask_iou(mask: np.ndarray, reference: np.ndarray) -> float:
    """IoU of two binary masks; the reference is resized (nearest) to the mask's size first.
    Two empty masks agree fully (1.0)."""
    if reference.shape != mask.shape:
        reference = mmcv.imresize(
            reference, (mask.shape[1], mask.shape[0]), interpolation='nearest')
    a, b = mask > 0, reference > 0
    union = np.logical_or(a, b).sum()
    return 1.0 if union == 0 else float(np.logical_and(a, b).sum() / union)


class MaskWriter:
    """Segments a list of images and writes their masks, skipping those already written.

    Args:
        segmenter: A :class:`fvgpt.segmentation.Segmenter` (anything with ``segment(images,
            img_paths, queries)`` and ``open_vocabulary``).
        batch_size (int): Images per segmenter call (mmseg batches images of one size).
            Defaults to 8.
        num_workers (int): Threads that read images and masks ahead of the segmenter.
            Defaults to 2.
        overwrite (bool): Re-segment images whose mask exists. Defaults to False.
        compare_to (str, optional): A reference mask folder laid out like the mask root; every
            mask (written or skipped) is compared with its reference (IoU). Defaults to None.
        progress (bool): Show a tqdm progress bar. Defaults to True.
    """

    def __init__(self,
                 segmenter,
                 batch_size: int = 8,
                 num_workers: int = 2,
                 overwrite: bool = False,
                 compare_to: Optional[str] = None,
                 progress: bool = True) -> None:
        if batch_size < 1 or num_workers < 1:
            raise ValueError('batch_size and num_workers must be at least 1.')
        self.segmenter = segmenter
        self.batch_size = batch_size
        self.num_workers = num_workers
        self.overwrite = overwrite
        self.compare_to = osp.abspath(compare_to) if compare_to else None
        self.progress = progress

    def _load(self, job: MaskJob) -> _Loaded:
        item = _Loaded(job)
        if not self.overwrite and osp.isfile(job.mask_path):
            item.skip = True
            item.mask = read_binary_mask(job.mask_path)
            if item.mask is None:
                item.error = f'existing mask {job.mask_path} is unreadable (delete it to redo)'
        else:
            item.image = mmcv.imread(job.img_path, 'color')  # as LoadImageFromFile reads it
            if item.image is None:
                item.error = f'cannot read image {job.img_path}'
        if self.compare_to and item.error is None:
            item.reference = read_reference(self.compare_to, job)
        return item

    def _prefetch(self, jobs: Sequence[MaskJob], pool: ThreadPoolExecutor) -> Iterator[_Loaded]:
        """Yields loaded jobs in order, keeping a bounded number of reads in flight."""
        window = 2 * self.batch_size + self.num_workers
        pending: deque = deque()
        it = iter(jobs)
        for job in it:
            pending.append(pool.submit(self._load, job))
            if len(pending) >= window:
                break
        while pending:
            yield pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(self._load, nxt))

    def _queries(self, items: List[_Loaded]) -> Optional[List[str]]:
        if not self.segmenter.open_vocabulary:
            return None
        missing = [it.job.rel_path for it in items if not it.job.class_name]
        if missing:
            raise ValueError(f'An open-vocabulary segmenter needs each image\'s class name; none '
                             f'is known for {missing[0]} (use a split file or class folders).')
        return [it.job.class_name for it in items]

    def _segment(self, items: List[_Loaded],
                 report: PrepareReport) -> List[Tuple[_Loaded, np.ndarray]]:
        """Masks of a batch; on an error, each image alone, so one bad image fails alone."""
        images = [it.image for it in items]
        paths = [it.job.img_path for it in items]
        try:
            return list(zip(items, self.segmenter.segment(images, paths, self._queries(items))))
        except Exception as err:  # noqa: BLE001 (retried per image, then reported)
            if len(items) == 1:
                report.failed.append((items[0].job.rel_path, f'{type(err).__name__}: {err}'))
                return []
        done: List[Tuple[_Loaded, np.ndarray]] = []
        for it in items:
            done += self._segment([it], report)
        return done

    def _account(self, report: PrepareReport, item: _Loaded, mask: np.ndarray) -> None:
        report.areas.append(float(mask.mean()) if mask.size else 0.0)
        if self.compare_to:
            if item.reference is None:
                report.missing_reference.append(item.job.rel_path)
            else:
                report.ious.append(mask_iou(mask, item.reference))

    def run(self, jobs: Sequence[MaskJob]) -> PrepareReport:
        """Writes the masks of ``jobs``; returns the report (also when interrupted: then
        ``report.interrupted`` is True and every mask written so far is complete)."""
        report = PrepareReport(total=len(jobs), compare_to=self.compare_to)
        start = time.perf_counter()
        bar = tqdm(
            total=len(jobs),
            unit='img',
            desc='foreground masks',
            disable=not self.progress,
            dynamic_ncols=True)
        batch: List[_Loaded] = []
        try:
            with ThreadPoolExecutor(self.num_workers) as pool:
                for item in self._prefetch(jobs, pool):
                    if item.error is not None:
                        report.failed.append((item.job.rel_path, item.error))
                        bar.update(1)
                    elif item.skip:
                        report.skipped += 1
                        self._account(report, item, item.mask)
                        bar.update(1)
                    else:
                        batch.append(item)
                    if len(batch) == self.batch_size:
                        self._flush(batch, report, bar)
                        batch = []
                if batch:
                    self._flush(batch, report, bar)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            bar.close()
            report.seconds = time.perf_counter() - start
        return report

    def _flush(self, batch: List[_Loaded], report: PrepareReport, bar: tqdm) -> None:
        if report.load_seconds == 0.0 and hasattr(type(self.segmenter), 'model'):
            start = time.perf_counter()
            self.segmenter.model  # noqa: B018 (built on first use: timed apart from throughput)
            report.load_seconds = time.perf_counter() - start
        for item, mask in self._segment(batch, report):
            write_mask_png(item.job.mask_path, mask)
            report.written += 1
            self._account(report, item, mask)
        bar.update(len(batch))
        bar.set_postfix(written=report.written, skipped=report.skipped, failed=len(report.failed))


__all__ = ['MaskWriter', 'mask_iou', 'read_reference', 'reference_candidates']
