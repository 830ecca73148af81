"""The identity of a data pipeline, and whether it makes the same input from a file every time.

A frozen image encoder's features can be cached only for inputs that a pipeline makes the same way
on every pass (``fvgpt.models.utils.ImageFeatureCache``). Whether it does is decided from the
transform types and their parameters, on an allow list: a transform that is not known to be
deterministic (any random crop, flip with ``prob > 0``, colour jitter, or a type this module has
never heard of) makes the pipeline non-deterministic, and the reason names it.
"""
import hashlib
import json
from typing import NamedTuple, Sequence

#: Transforms that make the same output from the same file and parameters, by the last part of
#: their registered type name (``mmpretrain.PackInputs`` -> ``PackInputs``).
DETERMINISTIC_TRANSFORMS = frozenset({
    'LoadImageFromFile', 'LoadForegroundMask', 'PairedResize', 'PairedResizeEdge',
    'PairedCenterCrop', 'ForegroundView', 'PackInputs', 'ResizeEdge', 'CenterCrop', 'Resize',
    'PackClsInputs', 'Collect', 'ToTensor', 'ImageToTensor'
})
#: Flips are deterministic only when they never flip.
FLIP_TRANSFORMS = frozenset({'RandomFlip', 'PairedRandomFlip'})


class PipelineIdentity(NamedTuple):
    """``key``: SHA-256 of the pipeline's canonical JSON; ``deterministic``; ``reason``: why
    not (empty when deterministic)."""
    key: str
    deterministic: bool
    reason: str


def canonical_json(pipeline: Sequence[dict]) -> str:
    """The pipeline config as JSON with sorted keys; tuples as lists, anything else by repr."""
    return json.dumps([dict(t) for t in pipeline],
                      sort_keys=True,
                      default=repr,
                      separators=(',', ':'))


def pipeline_identity(pipeline: Sequence[dict]) -> PipelineIdentity:
    """The identity of a pipeline config (a list of transform dicts).

    Args:
        pipeline (Sequence[dict]): the dataset's ``pipeline`` config.

    Returns:
        PipelineIdentity: its key, whether it is deterministic and, if not, why.

    Raises:
        TypeError: when the pipeline is not a list of dicts with a ``type`` (a transform object
            has no config this can read).
    """
    if isinstance(pipeline,
                  (str, bytes)) or not all(isinstance(t, dict) and 'type' in t for t in pipeline):
        raise TypeError('pipeline_identity needs the pipeline config, a list of dicts with '
                        f'"type" (transform objects have no readable config); got {pipeline!r}.')
    key = hashlib.sha256(canonical_json(pipeline).encode()).hexdigest()
    for transform in pipeline:
        name = transform['type'] if isinstance(transform['type'], str) else getattr(
            transform['type'], '__name__', repr(transform['type']))
        short = name.rpartition('.')[2]
        if short in FLIP_TRANSFORMS:
            if float(transform.get('prob', 0.5) or 0) > 0:
                return PipelineIdentity(
                    key, False, f'{name} flips at random (prob '
                    f'{transform.get("prob", 0.5)})')
        elif short not in DETERMINISTIC_TRANSFORMS:
            why = 'draws at random' if 'Random' in short else \
                'is not known to be deterministic (fvgpt.datasets.pipeline_identity.' \
                'DETERMINISTIC_TRANSFORMS lists those that are)'
            return PipelineIdentity(key, False, f'{name} {why}')
    return PipelineIdentity(key, True, '')
