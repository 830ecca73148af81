"""Distributed runs on CPU (gloo) where mmengine's launcher needs CUDA (fvgpt/utils/dist.py):
one process, world size 1."""
import socket

import pytest
import torch
import torch.distributed as torch_dist
from mmengine.config import Config

from fvgpt.utils import prepare_cpu_distributed, shutdown_distributed


@pytest.fixture
def torchrun_env(monkeypatch):
    """What torchrun sets for a single process."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    for key, value in dict(
            RANK='0', WORLD_SIZE='1', LOCAL_RANK='0', MASTER_ADDR='127.0.0.1',
            MASTER_PORT=str(port)).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    yield
    if torch_dist.is_initialized():
        torch_dist.destroy_process_group()


def test_without_launcher_or_with_gpu_nothing_changes(torchrun_env, monkeypatch):
    cfg = Config(dict(launcher='none'))
    assert prepare_cpu_distributed(cfg) is False
    assert 'model_wrapper_cfg' not in cfg and not torch_dist.is_initialized()
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = Config(dict(launcher='pytorch'))
    assert prepare_cpu_distributed(cfg) is False  # mmengine's own launcher handles GPUs
    assert 'model_wrapper_cfg' not in cfg and not torch_dist.is_initialized()


def test_cpu_launch_starts_gloo_and_wraps_without_device_ids(torchrun_env):
    cfg = Config(dict(launcher='pytorch', find_unused_parameters=True))
    assert prepare_cpu_distributed(cfg) is True
    assert torch_dist.is_initialized() and torch_dist.get_backend() == 'gloo'
    assert torch_dist.get_world_size() == 1 and torch_dist.get_rank() == 0
    assert cfg.model_wrapper_cfg == dict(
        type='MMDistributedDataParallel',
        device_ids=None,
        broadcast_buffers=False,
        find_unused_parameters=True)
    # a second call (the group is up) keeps it, and a config's own wrapper is kept
    cfg = Config(dict(launcher='pytorch', model_wrapper_cfg=dict(type='Mine')))
    assert prepare_cpu_distributed(cfg) is True
    assert cfg.model_wrapper_cfg == dict(type='Mine')
    shutdown_distributed()
    assert not torch_dist.is_initialized()
    shutdown_distributed()  # nothing to shut down: no error
