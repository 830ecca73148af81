"""Batches FVG-PT's foreground views and masks next to the images."""
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.model import stack_batch
from mmpretrain.models import ClsDataPreprocessor

from fvgpt.registry import MODELS

#: Pipeline keys (packed by ``PackInputs(algorithm_keys=...)``) -> model keyword arguments.
FG_KEYS = {'img_fg': 'fg_inputs', 'gt_fg_mask': 'fg_masks', 'fg_mask_valid': 'fg_valid'}


@MODELS.register_module()
class FVGPTDataPreprocessor(ClsDataPreprocessor):
    """:class:`mmpretrain.models.ClsDataPreprocessor` that also batches the foreground data.

    When the data samples carry ``img_fg`` (the :class:`ForegroundView` of the image),
    ``gt_fg_mask`` and ``fg_mask_valid``, they are taken out of the samples and returned as the
    model's keyword arguments ``fg_inputs`` (``(B, 3, H, W)``, converted and normalized exactly
    as ``inputs``), ``fg_masks`` (``(B, H, W)`` float in {0, 1}) and ``fg_valid`` (``(B,)``
    bool; all True when the pipeline gives no ``fg_mask_valid``). Batches without them (testing)
    pass through as in the parent class.

    Args:
        mean, std, pad_size_divisor, pad_value, to_rgb, to_onehot, num_classes: as in
            :class:`ClsDataPreprocessor`.
        batch_augments (dict, optional): not supported: a batch augmentation (Mixup, CutMix)
            would mix the images but not their foreground views and masks.
    """

    def __init__(self, *args, batch_augments: Optional[dict] = None, **kwargs):
        if batch_augments:
            raise ValueError('FVGPTDataPreprocessor does not support batch_augments: they would '
                             'mix the images but not their foreground views and masks.')
        super().__init__(*args, **kwargs)

    def forward(self, data: dict, training: bool = False) -> dict:
        samples = data.get('data_samples')
        extras = self._pop_foreground(samples) if samples else {}
        out = super().forward(data, training)
        if 'img_fg' in extras:
            out['fg_inputs'] = self._images(extras['img_fg'])
        if 'gt_fg_mask' in extras:
            masks = [self._as_tensor(m).float()[None] for m in extras['gt_fg_mask']]
            out['fg_masks'] = stack_batch(masks, self.pad_size_divisor,
                                          0).squeeze(1).to(self.device)
            valid = extras.get('fg_mask_valid', [True] * len(masks))
            out['fg_valid'] = torch.as_tensor([bool(v) for v in valid], device=self.device)
        return out

    @staticmethod
    def _pop_foreground(samples: list) -> Dict[str, List]:
        extras = {}
        for key in FG_KEYS:
            present = [key in s for s in samples]
            if any(present) and not all(present):
                raise ValueError(f'"{key}" is in some data samples of the batch and not in others.')
            if all(present):
                extras[key] = [s.get(key) for s in samples]
                for s in samples:
                    delattr(s, key)
        return extras

    @staticmethod
    def _as_tensor(value) -> torch.Tensor:
        return value if isinstance(value, torch.Tensor) else torch.from_numpy(np.asarray(value))

    def _images(self, images: list) -> torch.Tensor:
        """HxWx3 uint8 arrays (or 3xHxW tensors) -> normalized ``(B, 3, H, W)``, like inputs."""
        batch = []
        for img in images:
            if not isinstance(img, torch.Tensor):  # as PackInputs formats its input
                img = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)
            img = img.to(self.device)
            if self.to_rgb and img.size(0) == 3:
                img = img.flip(0)
            img = img.float()
            if self._enable_normalize:
                img = (img - self.mean) / self.std
            batch.append(img)
        return stack_batch(batch, self.pad_size_divisor, self.pad_value)
