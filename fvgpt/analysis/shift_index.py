"""The foreground shift index: how much of an attention map lies outside the foreground mask."""
from typing import Dict, List, Optional, Sequence

import torch

from .grad_cam import upsample_maps

#: Why an image takes no part in the index.
EXCLUSION_REASONS = ('missing_mask', 'empty_mask', 'empty_map')


def outside_shares(maps: torch.Tensor,
                   masks: torch.Tensor,
                   valid: Optional[torch.Tensor] = None) -> List[Optional[float]]:
    """Per image, the share of the map's mass outside the mask; None where it is undefined.

    The map is resized (bilinear) to the mask's size first. An image whose mask is missing
    (``valid`` False) or empty, or whose map has no mass, gets None (see :func:`exclusion`).

    Args:
        maps (Tensor): ``(B, h, w)`` non-negative maps.
        masks (Tensor): ``(B, H, W)`` foreground masks (> 0.5 is foreground).
        valid (Tensor, optional): ``(B,)`` bool, False where the mask file was missing.
    """
    reasons = exclusion(maps, masks, valid)
    maps = upsample_maps(maps.float(), tuple(masks.shape[-2:])).clamp_min(0)
    fg = (masks.float() > 0.5).float()
    total = maps.flatten(1).sum(1)
    outside = (maps * (1 - fg)).flatten(1).sum(1)
    return [None if r else float(o / t) for o, t, r in zip(outside, total, reasons)]


def exclusion(maps: torch.Tensor,
              masks: torch.Tensor,
              valid: Optional[torch.Tensor] = None) -> List[Optional[str]]:
    """Per image, why it is excluded (one of :data:`EXCLUSION_REASONS`), or None."""
    if maps.shape[0] != masks.shape[0]:
        raise ValueError(f'{maps.shape[0]} maps for {masks.shape[0]} masks.')
    reasons = []
    for i in range(maps.shape[0]):
        if valid is not None and not bool(valid[i]):
            reasons.append('missing_mask')
        elif not bool((masks[i].float() > 0.5).any()):
            reasons.append('empty_mask')
        elif not float(maps[i].clamp_min(0).sum()) > 0:
            reasons.append('empty_map')
        else:
            reasons.append(None)
    return reasons


def foreground_shift_index(maps: torch.Tensor,
                           masks: torch.Tensor,
                           valid: Optional[torch.Tensor] = None) -> Optional[float]:
    """The mean over images of :func:`outside_shares` (0: all mass on the foreground).

    Excluded images (no mask, empty mask, empty map) take no part: they are never counted as 0.
    None when every image is excluded.
    """
    meter = ForegroundShiftMeter()
    meter.update(maps, masks, valid)
    return meter.result()['index']


class ForegroundShiftMeter:
    """Accumulates per-image shares over batches, with the excluded images named."""

    def __init__(self):
        self.shares: List[float] = []
        self.excluded: Dict[str, List[str]] = {r: [] for r in EXCLUSION_REASONS}
        self.count = 0

    def update(self,
               maps: torch.Tensor,
               masks: torch.Tensor,
               valid: Optional[torch.Tensor] = None,
               names: Optional[Sequence[str]] = None) -> List[Optional[float]]:
        """Adds a batch; returns its per-image shares (None for excluded images)."""
        shares = outside_shares(maps, masks, valid)
        reasons = exclusion(maps, masks, valid)
        for i, (share, reason) in enumerate(zip(shares, reasons)):
            name = names[i] if names is not None else str(self.count + i)
            if reason:
                self.excluded[reason].append(name)
            else:
                self.shares.append(share)
        self.count += len(shares)
        return shares

    def result(self) -> dict:
        """``index`` (None without any usable image), ``num_images``, ``num_used`` and
        ``excluded`` (reason -> image names)."""
        index = sum(self.shares) / len(self.shares) if self.shares else None
        return dict(
            index=index,
            num_images=self.count,
            num_used=len(self.shares),
            excluded={
                k: list(v)
                for k, v in self.excluded.items()
            })
