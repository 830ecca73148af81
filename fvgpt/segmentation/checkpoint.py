"""Loading a segmenter checkpoint safely (``torch.load(weights_only=True)``) into a built model."""
from typing import Optional, Tuple

import torch
from torch import nn

from fvgpt.utils.checkpoint import load_checkpoint_file


def slim_checkpoint(src: str, dst: str) -> str:
    """Re-saves a trusted checkpoint as weights and class names only, loadable safely.

    mmengine's Runner also writes its message hub, whose history buffers unpickle only with
    ``weights_only=False``. Run this once on a checkpoint you trust (e.g. one you trained).

    Args:
        src (str): The full checkpoint.
        dst (str): Where to write ``{'state_dict': ..., 'meta': {'dataset_meta': ...}}``.

    Returns:
        str: ``dst``.
    """
    ckpt = torch.load(src, map_location='cpu', weights_only=False)  # trusted by the caller
    state = ckpt.get('state_dict', ckpt)
    meta = ckpt.get('meta') or {}
    dataset_meta = meta.get('dataset_meta') or {}
    classes = dataset_meta.get('classes') or meta.get('CLASSES')
    slim_meta = {'dataset_meta': {'classes': tuple(classes)}} if classes else {}
    torch.save({'state_dict': state, 'meta': slim_meta}, dst)
    return dst


def load_segmenter_checkpoint(model: nn.Module, path: str) -> dict:
    """Loads a checkpoint's weights into ``model`` and returns the checkpoint's ``meta``.

    Accepts a plain state dict or an mmengine checkpoint (``state_dict`` + ``meta`` + training
    state). Loads with ``weights_only=True`` (:func:`fvgpt.utils.checkpoint.load_checkpoint_file`:
    tensors, plain containers and numpy arrays). Unknown extra weights (e.g. a training
    criterion's) are ignored; a weight the model needs that the checkpoint lacks is an error.

    Raises:
        CheckpointLoadError: The file is not a weights-only checkpoint (see
            :func:`fvgpt.utils.checkpoint.load_checkpoint_file`).
        RuntimeError: The checkpoint does not fit the model.
    """
    # Names the file and refuses empty, foreign, truncated and code-carrying files
    # (fvgpt.utils.checkpoint.CheckpointLoadError).
    ckpt = load_checkpoint_file(path)
    if not isinstance(ckpt, dict):
        raise RuntimeError(f'{path} is not a state dict or an mmengine checkpoint '
                           f'(it holds a {type(ckpt).__name__}).')
    state = ckpt.get('state_dict', ckpt)
    state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    if missing:
        raise RuntimeError(
            f'The checkpoint {path} does not fit the segmenter config: {len(missing)} of its '
            f'weights are missing, e.g. {", ".join(missing[:5])}. Use the config the checkpoint '
            'was trained with.')
    shapes = [
        f'{k} {tuple(v.shape)} vs {tuple(own[k].shape)}' for k, v in state.items()
        if k in own and hasattr(v, 'shape') and v.shape != own[k].shape
    ]
    if shapes:
        raise RuntimeError(f'The checkpoint {path} does not fit the segmenter config: weight '
                           f'shapes differ (checkpoint vs config): {", ".join(shapes[:5])}.')
    model.load_state_dict(state, strict=False)
    meta = ckpt.get('meta')
    return meta if isinstance(meta, dict) else {}


def checkpoint_class_names(meta: dict) -> Optional[Tuple[str, ...]]:
    """Class names recorded in a checkpoint's meta (mmseg 1.x ``dataset_meta`` or 0.x
    ``CLASSES``), or ``None``."""
    dataset_meta = meta.get('dataset_meta') or {}
    classes = dataset_meta.get('classes') or meta.get('CLASSES')
    return tuple(classes) if classes else None
