"""Safe checkpoint loading: ``torch.load(weights_only=True)`` with the few classes mmengine's
training state needs registered as safe, instead of turning the protection off."""
from typing import Any, List

import numpy as np
import torch


def _safe_globals() -> List[Any]:
    # mmengine's resume state holds numpy arrays (logged scalars, stored as plain data by
    # fvgpt.engine.WeightsOnlyCheckpointHook) and numpy scalars (runtime info).
    multiarray = getattr(np, '_core', None) or np.core
    numpy_globals = [
        np.ndarray, np.dtype, multiarray.multiarray._reconstruct, multiarray.multiarray.scalar
    ]
    dtype_classes = [type(np.dtype(t)) for t in (np.float64, np.float32, np.int64, np.int32,
                                                  np.bool_, np.uint8)]
    return numpy_globals + dtype_classes


def register_safe_globals() -> None:
    """Allows numpy's array types under ``torch.load(weights_only=True)``.

    mmengine 0.10.7 calls ``torch.load`` without ``weights_only``, which torch >= 2.6 makes
    ``True``: without this registration ``--resume`` fails on the numpy arrays and scalars of
    mmengine's training state. Checkpoints must be written with
    ``fvgpt.engine.WeightsOnlyCheckpointHook`` (in every fvgpt config), which stores mmengine's
    ``HistoryBuffer``s as plain data.
    """
    torch.serialization.add_safe_globals(_safe_globals())


def load_checkpoint_file(path: str, map_location: str = 'cpu') -> dict:
    """``torch.load(path, weights_only=True)`` with a clear error for a missing file."""
    import os.path as osp
    if not osp.isfile(path):
        raise FileNotFoundError(f'Checkpoint not found: {path}')
    register_safe_globals()
    return torch.load(path, map_location=map_location, weights_only=True)
