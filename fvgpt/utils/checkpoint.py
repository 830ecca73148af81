"""Safe checkpoint loading: ``torch.load(weights_only=True)`` with the few classes mmengine's
training state needs registered as safe, instead of turning the protection off."""
import os.path as osp
import pickle
import re
from typing import Any, List, Optional

import numpy as np
import torch


def _safe_globals() -> List[Any]:
    # mmengine's resume state holds numpy arrays (logged scalars, stored as plain data by
    # fvgpt.engine.WeightsOnlyCheckpointHook) and numpy scalars (runtime info).
    multiarray = getattr(np, '_core', None) or np.core
    numpy_globals = [
        np.ndarray, np.dtype, multiarray.multiarray._reconstruct, multiarray.multiarray.scalar
    ]
    dtype_classes = [
        type(np.dtype(t)) for t in (np.float64, np.float32, np.int64, np.int32, np.bool_, np.uint8)
    ]
    return numpy_globals + dtype_classes


def register_safe_globals() -> None:
    """Allows numpy's array types under ``torch.load(weights_only=True)``.

    mmengine 0.10.7 calls ``torch.load`` without ``weights_only``, which torch >= 2.6 makes
    ``True``: without this registration ``--resume`` fails on the numpy arrays and scalars of
    mmengine's training state. Checkpoints must be written with
    ``fvgpt.engine.WeightsOnlyCheckpointHook`` (in every fvgpt config), which stores mmengine's
    ``HistoryBuffer``s as plain data. Also routes mmengine's loading of local checkpoints
    through :func:`load_checkpoint_file` (errors that name the file).
    """
    torch.serialization.add_safe_globals(_safe_globals())
    register_safe_checkpoint_loader()


class CheckpointLoadError(RuntimeError):
    """A checkpoint file cannot be loaded; the message names the file and what it is not."""


#: Leading bytes of files given by mistake as checkpoints, and what they are.
_MAGIC = ((b'\x89PNG', 'a PNG image'), (b'\xff\xd8\xff', 'a JPEG image'), (b'GIF8', 'a GIF image'),
          (b'%PDF', 'a PDF document'), (b'\x1f\x8b', 'a gzip archive'), (b'BZh', 'a bzip2 archive'))


def _describe_non_checkpoint(head: bytes) -> Optional[str]:
    """What the file is when its first bytes show it is not a torch checkpoint, else None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(b'PK') or head[:1] == b'\x80':  # a zip archive or a legacy pickle
        return None
    text = None
    for cut in range(4):  # the 512 bytes may end inside a multi-byte character
        try:
            text = head[:len(head) - cut].decode('utf-8')
            break
        except UnicodeDecodeError:
            continue
    if text is not None and '\x00' not in text:
        first = text.strip().splitlines()[0][:60] if text.strip() else ''
        return f'a text file (it starts with "{first}")'
    return None


def _unsupported_global(err: Exception) -> str:
    """What torch's weights-only unpickler refused (e.g. "GLOBAL posix.system"), without
    torch's advice on how to load the file anyway."""
    match = re.search(r'(?:unsupported|Unsupported global:)\s+(GLOBAL [\w.]+)', str(err))
    return match.group(1) if match else 'an object type outside tensors and plain data'


def load_checkpoint_file(path: str, map_location: Any = 'cpu') -> Any:
    """``torch.load(path, weights_only=True)`` with errors that name the file and say what it
    is not.

    Used wherever fvgpt loads a checkpoint: ``tools/test.py``, ``--resume`` and ``load_from``
    (through mmengine's local checkpoint loader, see :func:`register_safe_globals`), FVG-PT's
    ``backbone_ckpt`` and the segmenter. Weights-only loading is never turned off: a file that
    holds Python objects which would run code is refused.

    Args:
        path (str): the checkpoint file.
        map_location: as ``torch.load``'s. Defaults to ``'cpu'``.

    Raises:
        FileNotFoundError: no such file.
        CheckpointLoadError: the file is empty, another kind of file (an image, text), a
            truncated or damaged checkpoint, or a pickle that carries code.
    """
    path = osp.expanduser(path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'Checkpoint not found: {path}')
    size = osp.getsize(path)
    if size == 0:
        raise CheckpointLoadError(
            f'{path} is empty (0 bytes), not a checkpoint: a save was interrupted or the disk '
            'was full. Use another checkpoint of the run (e.g. the previous epoch\'s) or train '
            'again.')
    with open(path, 'rb') as f:
        head = f.read(512)
    what = _describe_non_checkpoint(head)
    if what is not None:
        raise CheckpointLoadError(f'{path} is not a PyTorch checkpoint: it is {what}. Give the '
                                  '.pth file that training wrote (work_dirs/<config>/epoch_N.pth).')
    try:
        # numpy's arrays are allowed for this load (register_all_modules allows them globally
        # for mmengine's own loads); torch's context removes on exit what it added, so it gets
        # only those not allowed already.
        allowed = torch.serialization.get_safe_globals()
        with torch.serialization.safe_globals([g for g in _safe_globals() if g not in allowed]):
            return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise CheckpointLoadError(
            f'{path} is not a weights-only checkpoint: it holds Python objects that are not '
            f'tensors or plain data ({_unsupported_global(err)}), which could run code when '
            'loaded, so fvgpt does not load it. Use a checkpoint written by fvgpt\'s training '
            '(its configs add WeightsOnlyCheckpointHook), or one that holds only tensors and '
            'plain containers.') from None
    except Exception as err:  # noqa: BLE001 - torch raises many kinds on a damaged file
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CheckpointLoadError(
            f'{path} is a truncated or damaged checkpoint ({size:,} bytes; torch: {reason}), not '
            'a complete one: a save was interrupted or the copy is incomplete. Copy it again, '
            'or use another checkpoint of the run.') from None


def _mmengine_local_loader(filename: str, map_location: Any = None) -> Any:
    return load_checkpoint_file(filename, map_location=map_location)


def register_safe_checkpoint_loader() -> None:
    """Makes mmengine load local checkpoints (``load_from``, ``--resume``, ``tools/test.py``)
    with :func:`load_checkpoint_file`, through mmengine's loader-scheme registry."""
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(prefixes='', loader=_mmengine_local_loader, force=True)


def check_checkpoint_covers(model: torch.nn.Module, path: str) -> None:
    """Raises unless the checkpoint holds every trained part of ``model``.

    mmengine loads with ``strict=False`` and only logs missing keys: a CoOp checkpoint given
    to an FVG-PT config would be tested with untrained adapters and gates. What a checkpoint
    must hold is what the model writes into one (its ``state_dict()``; the frozen CLIP is left
    out of it).

    Args:
        model (nn.Module): the built model (a DDP wrapper is unwrapped).
        path (str): the checkpoint file.

    Raises:
        CheckpointLoadError: naming the missing parts, what the checkpoint holds and the run
            that wrote it.
    """
    model = getattr(model, 'module', model)
    ckpt = load_checkpoint_file(path)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    held = {k[len('module.'):] if k.startswith('module.') else k for k in state}
    expected = list(model.state_dict().keys())
    missing = [k for k in expected if k not in held]
    if not missing:
        return
    meta = (ckpt.get('meta') or {}) if isinstance(ckpt, dict) else {}
    writer = meta.get('experiment_name')
    # the parts with weights (a model's `_extra_state` is its recipe, not a part)
    parts = sorted({k.split('.')[0] for k in held if not k.endswith('_extra_state')})
    raise CheckpointLoadError(
        f'{path} does not hold the trained parts of this config\'s {type(model).__name__}: '
        f'{len(missing)} of {len(expected)} are missing ({", ".join(missing[:6])}'
        f'{", ..." if len(missing) > 6 else ""}). The checkpoint holds '
        f'{", ".join(parts) or "no weights"}' +
        (f' and was written by the run "{writer}"' if writer else '') +
        f' ({meta.get("epoch", "?")} epochs): another model or stage (e.g. a stage-1 CoOp '
        'checkpoint given to an FVG-PT config). Give the checkpoint that training this config '
        'wrote (its work dir\'s epoch_N.pth), or the config that wrote this checkpoint.')
