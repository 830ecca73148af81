"""The summary of a mask-writing run: counts, failures, throughput and histograms."""
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import numpy as np

#: FVG-PT's reliability bounds on the foreground area (METHOD.md: area_min, area_max).
AREA_BOUNDS = (0.02, 0.98)


def histogram_lines(values: Sequence[float], bins: int = 10, width: int = 40) -> List[str]:
    """Text histogram of values in [0, 1]: one line per bin with a bar and the count."""
    counts, edges = np.histogram(np.clip(values, 0.0, 1.0), bins=bins, range=(0.0, 1.0))
    peak = max(int(counts.max(initial=0)), 1)
    lines = []
    for i, count in enumerate(counts):
        close = ']' if i == bins - 1 else ')'
        bar = '#' * int(round(width * count / peak))
        lines.append(f'  [{edges[i]:.1f}, {edges[i + 1]:.1f}{close} {bar:<{width}} {count}')
    return lines


@dataclass
class PrepareReport:
    """What a run of :class:`MaskWriter` did.

    Args:
        total (int): Images in the job list.
        written (int): Masks written in this run.
        skipped (int): Images whose mask was already there.
        failed (list[tuple[str, str]]): ``(image path relative to the dataset folder, reason)``.
        areas (list[float]): Foreground share of every mask written or skipped.
        seconds (float): Wall time of the run.
        load_seconds (float): Part of it spent building the segmenter and loading its weights.
        compare_to (str, optional): The reference mask folder, if any.
        ious (list[float]): IoU with the reference, per mask that has one.
        missing_reference (list[str]): Images without a reference mask.
        interrupted (bool): The run was stopped (Ctrl-C) before the end.
    """

    total: int = 0
    written: int = 0
    skipped: int = 0
    failed: List[Tuple[str, str]] = field(default_factory=list)
    areas: List[float] = field(default_factory=list)
    seconds: float = 0.0
    load_seconds: float = 0.0
    compare_to: Optional[str] = None
    ious: List[float] = field(default_factory=list)
    missing_reference: List[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def images_per_second(self) -> float:
        """Masks written per second of the run, the segmenter's loading time left out."""
        seconds = self.seconds - self.load_seconds
        return self.written / seconds if seconds > 0 else 0.0

    def format(self, max_failures: int = 20) -> str:
        """The summary printed at the end of ``tools/prepare_foreground.py``."""
        state = 'INTERRUPTED, rerun to resume' if self.interrupted else 'done'
        lines = [
            f'Foreground masks ({state}): {self.total} images: {self.written} written, '
            f'{self.skipped} skipped (already there), {len(self.failed)} failed, '
            f'{self.total - self.written - self.skipped - len(self.failed)} not reached.'
        ]
        if self.written:
            lines.append(f'Throughput: {self.images_per_second:.2f} images/s ({self.written} '
                         f'written in {self.seconds - self.load_seconds:.1f} s, after '
                         f'{self.load_seconds:.1f} s loading the segmenter).')
        if self.areas:
            lo, hi = AREA_BOUNDS
            outside = sum(1 for a in self.areas if not lo <= a <= hi)
            lines.append(f'Foreground area (share of the image) of {len(self.areas)} masks: '
                         f'mean {np.mean(self.areas):.3f}, median {np.median(self.areas):.3f}; '
                         f'{outside} outside [{lo}, {hi}] (FVG-PT treats those as unreliable).')
            lines += histogram_lines(self.areas)
        if self.failed:
            lines.append(f'Failed ({len(self.failed)}):')
            lines += [f'  {path}: {reason}' for path, reason in self.failed[:max_failures]]
            if len(self.failed) > max_failures:
                lines.append(f'  ... and {len(self.failed) - max_failures} more.')
        if self.compare_to:
            lines.append(f'Agreement with {self.compare_to}: {len(self.ious)} masks compared, '
                         f'{len(self.missing_reference)} without a reference mask.')
            if self.ious:
                lines.append(f'  IoU mean {np.mean(self.ious):.3f}, median '
                             f'{np.median(self.ious):.3f}; histogram of IoU:')
                lines += histogram_lines(self.ious)
            if self.missing_reference:
                lines.append(f'  e.g. no reference for {self.missing_reference[0]}')
        return '\n'.join(lines)
