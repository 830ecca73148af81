"""SeededPipeline: a sample's draws depend on (seed, epoch, sample) only, and leave the caller's
random state alone. (The resume itself: tests/test_tools/test_resume_exact.py.)"""
import copy
import multiprocessing
import random

import numpy as np
import torch

from fvgpt.engine.hooks.epoch_seed_hook import SeededPipeline


def draws(results):
    return dict(results, draws=(random.random(), float(np.random.rand()), float(torch.rand(1))))


def test_draws_depend_on_seed_epoch_and_sample_only():
    epoch = multiprocessing.RawValue('q', 0)
    pipeline = SeededPipeline(draws, seed=1, dataset_key=0, epoch=epoch)
    first = pipeline(dict(sample_idx=3))['draws']
    np.random.rand(5), random.random(), torch.rand(3)  # history does not matter
    assert pipeline(dict(sample_idx=3))['draws'] == first
    assert pipeline(dict(sample_idx=4))['draws'] != first
    epoch.value = 1
    assert pipeline(dict(sample_idx=3))['draws'] != first
    assert SeededPipeline(draws, 2, 0,
                          multiprocessing.RawValue('q', 0))(dict(sample_idx=3))['draws'] != first


def test_caller_random_state_is_left_alone_and_copies_work():
    pipeline = SeededPipeline(draws, 1, 0, multiprocessing.RawValue('q', 2))
    torch.manual_seed(5)
    np.random.seed(5)
    expected = (float(torch.rand(1)), float(np.random.rand()))
    torch.manual_seed(5)
    np.random.seed(5)
    pipeline(dict(sample_idx=0))
    assert (float(torch.rand(1)), float(np.random.rand())) == expected
    clone = copy.deepcopy(pipeline)  # outside worker start-up: the epoch is copied by value
    assert clone.epoch.value == 2
    assert clone(dict(sample_idx=0))['draws'] == pipeline(dict(sample_idx=0))['draws']
