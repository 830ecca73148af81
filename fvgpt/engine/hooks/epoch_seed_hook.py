"""Makes an interrupted and resumed training equal the uninterrupted one, bit for bit."""
import logging
import multiprocessing
import multiprocessing.context
import random
from typing import Any, Callable, Iterator, Optional

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop

from fvgpt.registry import HOOKS


def derive_seed(*keys: int) -> int:
    """A 32-bit seed that depends on every key (``np.random.SeedSequence`` mixes them)."""
    entropy = [int(k) % (2**63) for k in keys]
    return int(np.random.SeedSequence(entropy).generate_state(1, dtype=np.uint32)[0])


def seed_all(seed: int, cuda: bool = True) -> None:
    """Seeds Python's ``random``, numpy's global generator and torch's CPU generator, and with
    ``cuda`` every CUDA device's."""
    random.seed(seed)
    np.random.seed(seed)
    if cuda:
        torch.manual_seed(seed)  # CPU and every CUDA device
    else:
        torch.default_generator.manual_seed(seed)


class SeededPipeline:
    """A data pipeline whose random draws for sample ``i`` in epoch ``e`` depend only on
    ``(seed, e, dataset_key, i)``.

    Before each call, Python's, numpy's and torch's global generators are seeded from those
    keys; afterwards, the caller's generator states are put back, so the main process's random
    stream does not depend on the data. The epoch lives in shared memory: persistent dataloader
    workers (forked or spawned before the epoch starts) read the current one.

    Args:
        pipeline (callable): the dataset's pipeline.
        seed (int): the run's seed.
        dataset_key (int): tells datasets apart inside a concatenation.
        epoch (multiprocessing RawValue): the current epoch, shared with the workers.
    """

    def __init__(self, pipeline: Callable, seed: int, dataset_key: int, epoch: Any):
        self.pipeline = pipeline
        self.seed = seed
        self.dataset_key = dataset_key
        self.epoch = epoch

    def __call__(self, results: dict) -> Any:
        if not isinstance(results, dict) or 'sample_idx' not in results:
            raise KeyError('EpochSeedHook seeds each sample from its "sample_idx", which '
                           'mmengine\'s BaseDataset.get_data_info adds; this dataset\'s data '
                           'info has none.')
        states = random.getstate(), np.random.get_state(), torch.get_rng_state()
        # CPU generators only: the pipeline runs on the CPU, and the main process's CUDA
        # stream (num_workers=0) must not depend on the data
        seed_all(
            derive_seed(self.seed, self.epoch.value, self.dataset_key, results['sample_idx']),
            cuda=False)
        try:
            return self.pipeline(results)
        finally:
            random.setstate(states[0])
            np.random.set_state(states[1])
            torch.set_rng_state(states[2])

    def __getattr__(self, name: str) -> Any:
        # what code reads from a pipeline (e.g. `.transforms`) comes from the wrapped one
        if name == 'pipeline':  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.pipeline, name)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        # Shared memory travels only to processes being started (dataloader workers); any other
        # copy (deepcopy, pickling) gets the epoch's current value.
        if multiprocessing.context.get_spawning_popen() is None:
            state['epoch'] = _EpochValue(self.epoch.value)
        return state

    def __repr__(self) -> str:
        return f'SeededPipeline(seed={self.seed}, dataset_key={self.dataset_key}, ' \
            f'pipeline={self.pipeline!r})'


class _EpochValue:
    """A plain stand-in for the shared epoch in copies made outside worker start-up."""

    def __init__(self, value: int):
        self.value = value


def _datasets_with_pipeline(dataset: Any) -> Iterator[Any]:
    """The dataset and the datasets it wraps (Concat-, Repeat-, ClassBalancedDataset) that
    hold a ``pipeline``."""
    if callable(getattr(dataset, 'pipeline', None)):
        yield dataset
    for child in getattr(dataset, 'datasets', None) or []:
        yield from _datasets_with_pipeline(child)
    inner = getattr(dataset, 'dataset', None)
    if inner is not None and inner is not dataset:
        yield from _datasets_with_pipeline(inner)


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Derives every random draw of a training epoch from ``(seed, epoch)``, so that resuming
    from the checkpoint of epoch ``e`` replays epoch ``e + 1`` exactly.

    mmengine seeds the generators once, when the Runner starts: a resumed run starts the next
    epoch from the seed's initial state instead of the state the uninterrupted run had reached,
    and persistent dataloader workers carry their generators from epoch to epoch. This hook
    takes that history out of the random state:

    * at the start of each epoch, the main process's Python, numpy and torch (CPU and CUDA)
      generators are seeded from ``(seed, epoch[, rank])`` (model-side draws such as dropout,
      and the dataloader's worker base seed);
    * each training sample's augmentation draws (random crop, flip, ...) are seeded from
      ``(seed, epoch, sample index)`` in whichever process loads it (:class:`SeededPipeline`),
      so the result does not depend on the number of workers, on whether they persist, or on
      where the previous run was killed.

    The sampler needs nothing: mmengine's ``DefaultSampler`` shuffles with ``seed + epoch``.
    Nothing is stored in the checkpoint: an epoch checkpoint's epoch number is all a resumed run
    needs. Only epoch-based training is covered; with another loop the hook logs a warning and
    does nothing.
    """

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        self._epoch: Optional[Any] = None

    def before_train(self, runner) -> None:
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            print_log(
                f'EpochSeedHook covers epoch-based training only; with '
                f'{type(runner.train_loop).__name__} a resumed run does not replay the '
                'random draws of the uninterrupted one.',
                logger='current',
                level=logging.WARNING)
            return
        self._epoch = multiprocessing.RawValue('q', runner.epoch)
        datasets = list(_datasets_with_pipeline(runner.train_loop.dataloader.dataset))
        for key, dataset in enumerate(datasets):
            pipeline = dataset.pipeline
            if isinstance(pipeline, SeededPipeline):  # a second `train()` on the same runner
                pipeline = pipeline.pipeline
            dataset.pipeline = SeededPipeline(pipeline, runner.seed, key, self._epoch)

    def before_train_epoch(self, runner) -> None:
        if self._epoch is None:
            return
        self._epoch.value = runner.epoch
        keys = [runner.seed, runner.epoch]
        if (getattr(runner, '_randomness_cfg', None) or {}).get('diff_rank_seed', False):
            keys.append(runner.rank)
        seed_all(derive_seed(*keys))
