"""Distributed runs without a GPU (gloo), which mmengine 0.10.7's launcher does not handle."""
import os

import torch
import torch.distributed as torch_dist
from mmengine.config import Config


def prepare_cpu_distributed(cfg: Config) -> bool:
    """Makes ``--launcher pytorch`` work on CPU-only machines (tests, CI): PyTorch DDP on gloo.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` and its default wrapper passes
    ``device_ids=[LOCAL_RANK]``, both of which fail without CUDA. With no GPU visible this starts
    the gloo process group from torchrun's environment (mmengine then sees it initialized) and
    wraps the model in ``MMDistributedDataParallel`` without ``device_ids``. On GPU machines it
    does nothing.

    Returns:
        bool: whether it initialized the process group.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return False
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(
            backend='gloo', rank=int(os.environ['RANK']), world_size=int(os.environ['WORLD_SIZE']))
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    return True


def shutdown_distributed() -> None:
    """Waits for every rank, then destroys the process group.

    Leaving it to interpreter exit can abort a rank ("terminate called without an active
    exception", seen with gloo) while the others still talk to it.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()
