"""The timing loop and memory readings shared by ``benchmark.py`` and ``benchmark_authors.py``,
so that fvgpt's figures and the authors' are measured the same way."""
import resource
import time
from typing import Callable, List, Optional

import torch


def timed(fn: Callable[[], None],
          iters: int,
          warmup: int,
          device: str,
          cpu_times: Optional[List[float]] = None) -> List[float]:
    """Runs ``fn`` ``warmup`` times, then ``iters`` times more, timing the latter.

    Args:
        fn: One step, no arguments.
        iters: Timed calls.
        warmup: Untimed calls first.
        device: ``cpu`` or ``cuda[:i]``; on CUDA each call is bracketed by synchronizations.
        cpu_times: If given, the process CPU seconds of each timed call are appended (on a shared
            CPU the wall time also counts waiting for a core).

    Returns:
        list: Wall seconds of each timed call.
    """
    if iters < 1 or warmup < 0:
        raise ValueError(f'iters must be >= 1 and warmup >= 0, got {iters} and {warmup}.')
    times = []
    for i in range(warmup + iters):
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        if device.startswith('cuda'):
            torch.cuda.synchronize()
        if i >= warmup:
            times.append(time.perf_counter() - start)
            if cpu_times is not None:
                cpu_times.append(time.process_time() - cpu_start)
    return times


def rss_mb() -> float:
    """The process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_memory_mb(device: str) -> float:
    """Peak memory so far: ``torch.cuda.max_memory_allocated`` on CUDA, else :func:`rss_mb`."""
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return rss_mb()
