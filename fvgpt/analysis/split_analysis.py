"""Accuracy and foreground shift index of a model over a dataset split with masks."""
from typing import Optional, Sequence

import torch
from tqdm import tqdm

from .analysis_data import batches, split_batch
from .attention_mapper import AttentionMapper
from .shift_index import ForegroundShiftMeter


def analyze_split(model: torch.nn.Module,
                  dataset,
                  method: str = 'gradcam',
                  batch_size: int = 32,
                  branch: Optional[str] = None,
                  indices: Optional[Sequence[int]] = None,
                  progress: bool = True,
                  desc: str = 'attention maps') -> dict:
    """Runs the model over ``dataset`` (built by :func:`build_mask_dataset`, class list set).

    Args:
        model (nn.Module): the model, in eval mode.
        dataset: the split with masks.
        method (str): ``'gradcam'`` (of the predicted class) or ``'cls_attention'``.
        batch_size (int): images per forward pass. Defaults to 32.
        branch (str, optional): FVG-PT's branch; None follows the model.
        indices (Sequence[int], optional): a subset of the dataset.
        progress (bool): show a tqdm bar. Defaults to True.
        desc (str): the bar's label.

    Returns:
        dict: ``accuracy`` (top-1 in %, over every image), ``shift_index`` (None when no image
        has a usable mask), ``num_images``, ``num_used``, ``excluded`` (reason -> image paths),
        ``scored_by`` and ``per_image`` (path, label, pred, outside share or None).
    """
    mapper = AttentionMapper(model, method=method, branch=branch)
    meter = ForegroundShiftMeter()
    correct, per_image, scored_by = 0, [], None
    total = len(dataset) if indices is None else len(indices)
    bar = tqdm(total=total, desc=desc, disable=not progress, unit='img')
    for data in batches(dataset, batch_size, indices):
        batch = split_batch(model, data)
        out = mapper(batch['inputs'])
        scored_by = out.scored_by
        shares = meter.update(out.maps.cpu(), batch['masks'], batch['valid'], batch['paths'])
        labels = batch['labels'].to(out.preds.device)
        correct += int((out.preds == labels).sum())
        for path, label, pred, share in zip(batch['paths'], labels.tolist(), out.preds.tolist(),
                                            shares):
            per_image.append(dict(path=path, label=label, pred=pred, outside_share=share))
        bar.update(len(batch['paths']))
    bar.close()
    result = meter.result()
    return dict(
        accuracy=100.0 * correct / max(total, 1),
        shift_index=result['index'],
        num_images=result['num_images'],
        num_used=result['num_used'],
        excluded=result['excluded'],
        scored_by=scored_by,
        method=method,
        per_image=per_image)
