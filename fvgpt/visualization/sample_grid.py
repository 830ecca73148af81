"""Draws what a data pipeline feeds the model, as a grid of tiles (``browse_dataset.py``).

A tile shows one packed sample (the output of ``dataset[i]``): the transformed image and its
label; when the pipeline packs FVG-PT's foreground data (``gt_fg_mask``, ``img_fg``,
``fg_mask_valid``), also the mask's outline on the image, the foreground view beside it, the
mask's area fraction and whether FVG-PT's area rule counts the mask as reliable (outline and
caption green when it does, red when it does not).
"""
import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from fvgpt.models.fvgpt.functional import reliable_masks

PAD = 6  # inside a tile, around its content
GAP = 4  # between the panels of a tile
MARGIN = 8  # between tiles, and around the grid
FONT_SIZE = 12
LINE = FONT_SIZE + 4
BACKGROUND = (255, 255, 255)
PANEL_FILL = (200, 200, 200)
TEXT = (20, 20, 20)
RELIABLE = (0, 170, 0)
UNRELIABLE = (220, 30, 30)


@dataclass
class SampleView:
    """One packed sample, ready to draw.

    Args:
        image (np.ndarray): the transformed image, ``HxWx3`` RGB uint8.
        label (str): its label, e.g. ``'3: red circle'``.
        mask (np.ndarray, optional): the foreground mask ``HxW`` bool (FVG-PT pipelines).
        fg_view (np.ndarray, optional): the foreground view, ``HxWx3`` RGB uint8.
        area (float, optional): the mask's foreground area fraction ``mean(m)``.
        valid (bool): False when the mask file was missing. Defaults to True.
        reliable (bool, optional): whether FVG-PT's area rule trusts the mask.
    """
    image: np.ndarray
    label: str
    mask: Optional[np.ndarray] = None
    fg_view: Optional[np.ndarray] = None
    area: Optional[float] = None
    valid: bool = True
    reliable: Optional[bool] = None

    @property
    def has_mask(self) -> bool:
        return self.mask is not None

    def record(self) -> dict:
        """The sample's label and mask figures, JSON-ready."""
        out = dict(label=self.label)
        if self.has_mask:
            out.update(area=self.area, valid=self.valid, reliable=self.reliable)
        return out


def _as_numpy(value) -> np.ndarray:
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def _bgr_to_rgb(value, channels_first: bool) -> np.ndarray:
    array = _as_numpy(value)
    if channels_first:
        array = array.transpose(1, 2, 0)
    return np.ascontiguousarray(array[..., ::-1]).astype(np.uint8)


def sample_view(packed: dict,
                classes: Optional[Sequence[str]] = None,
                area_rule: Optional[Dict[str, float]] = None) -> SampleView:
    """A :class:`SampleView` of ``dataset[i]`` (``inputs`` + ``data_samples``, as packed by
    ``PackInputs``; images BGR as mmcv loads them).

    Args:
        packed (dict): the dataset item.
        classes (Sequence[str], optional): class names, index = label.
        area_rule (dict, optional): ``area_min`` / ``area_max`` of FVG-PT's rule
            (:func:`fvgpt.models.fvgpt.functional.reliable_masks`); missing keys take its
            defaults.
    """
    sample = packed['data_samples']
    image = _bgr_to_rgb(packed['inputs'], channels_first=True)
    label = '?'
    if 'gt_label' in sample:
        index = int(_as_numpy(sample.gt_label).reshape(-1)[0])
        label = f'{index}: {classes[index]}' if classes is not None else str(index)
    view = SampleView(image=image, label=label)
    if 'gt_fg_mask' in sample:
        mask = _as_numpy(sample.get('gt_fg_mask')).astype(np.float32) >= 0.5
        valid = bool(sample.get('fg_mask_valid', True))
        area = float(mask.mean())
        reliable = reliable_masks(torch.tensor([area]), torch.tensor([valid]), **(area_rule or {}))
        view.mask, view.area, view.valid, view.reliable = mask, area, valid, bool(reliable[0])
        if 'img_fg' in sample:
            fg = sample.get('img_fg')
            view.fg_view = _bgr_to_rgb(fg, channels_first=isinstance(fg, torch.Tensor))
    return view


def _fit(image: np.ndarray, size: int, nearest: bool = False) -> np.ndarray:
    """``image`` scaled to fit ``size x size`` (aspect kept), centred on a grey square."""
    h, w = image.shape[:2]
    scale = size / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    interp = cv2.INTER_NEAREST if nearest or scale >= 1 else cv2.INTER_AREA
    resized = cv2.resize(image, (new_w, new_h), interpolation=interp)
    canvas = np.empty((size, size) + image.shape[2:], dtype=image.dtype)
    canvas[...] = PANEL_FILL if image.ndim == 3 else 0
    top, left = (size - new_h) // 2, (size - new_w) // 2
    canvas[top:top + new_h, left:left + new_w] = resized
    return canvas


def _font(size: int = FONT_SIZE):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _fit_text(draw: ImageDraw.ImageDraw, text: str, width: int, font) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + '...', font=font) > width:
        text = text[:-1]
    return text + '...'


def tile_shape(panel_size: int, with_mask: bool) -> tuple:
    """``(height, width)`` of a tile: one panel (two with a mask) and the caption lines."""
    panels, lines = (2, 2) if with_mask else (1, 1)
    return (2 * PAD + panel_size + lines * LINE, 2 * PAD + panels * panel_size + (panels - 1) * GAP)


def draw_tile(view: SampleView, panel_size: int = 160) -> np.ndarray:
    """One sample as an ``HxWx3`` RGB tile (size :func:`tile_shape`).

    Args:
        view (SampleView): the sample.
        panel_size (int): side of each square image panel in pixels. Defaults to 160.
    """
    height, width = tile_shape(panel_size, view.has_mask)
    tile = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
    image = _fit(view.image, panel_size)
    colour = RELIABLE if view.reliable else UNRELIABLE
    if view.has_mask:
        mask = _fit(view.mask.astype(np.uint8), panel_size, nearest=True)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        cv2.drawContours(image, contours, -1, colour, max(1, panel_size // 80))
    tile[PAD:PAD + panel_size, PAD:PAD + panel_size] = image
    if view.has_mask:
        left = PAD + panel_size + GAP
        fg = view.fg_view if view.fg_view is not None else np.zeros_like(view.image)
        tile[PAD:PAD + panel_size, left:left + panel_size] = _fit(fg, panel_size)
    canvas = Image.fromarray(tile)
    draw, font = ImageDraw.Draw(canvas), _font()
    text_width = width - 2 * PAD
    top = PAD + panel_size + 2
    draw.text((PAD, top), _fit_text(draw, view.label, text_width, font), fill=TEXT, font=font)
    if view.has_mask:
        state = 'reliable' if view.reliable else 'unreliable'
        line = f'mask area {view.area:.2f}, {state}' if view.valid else \
            f'no mask file, {state}'
        draw.text((PAD, top + LINE),
                  _fit_text(draw, line, text_width, font),
                  fill=colour,
                  font=font)
    return np.asarray(canvas)


def make_grid(tiles: List[np.ndarray], cols: int, title: Optional[str] = None) -> np.ndarray:
    """Tiles (all of one size) in rows of ``cols``, with an optional title line on top.

    The grid is ``cols' * w + (cols' + 1) * MARGIN`` wide, ``cols' = min(cols, len(tiles))``,
    and ``rows * h + (rows + 1) * MARGIN`` (+ one text line with a title) high.
    """
    if not tiles:
        raise ValueError('make_grid needs at least one tile.')
    if len({t.shape for t in tiles}) != 1:
        raise ValueError(f'The tiles differ in size: {sorted({t.shape for t in tiles})}.')
    cols = max(1, min(cols, len(tiles)))
    rows = math.ceil(len(tiles) / cols)
    h, w = tiles[0].shape[:2]
    head = LINE + MARGIN if title else 0
    grid = np.full((head + rows * h + (rows + 1) * MARGIN, cols * w + (cols + 1) * MARGIN, 3),
                   BACKGROUND,
                   dtype=np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        top, left = head + MARGIN + r * (h + MARGIN), MARGIN + c * (w + MARGIN)
        grid[top:top + h, left:left + w] = tile
    if title:
        canvas = Image.fromarray(grid)
        draw = ImageDraw.Draw(canvas)
        font = _font()
        draw.text((MARGIN, MARGIN),
                  _fit_text(draw, title, grid.shape[1] - 2 * MARGIN, font),
                  fill=TEXT,
                  font=font)
        grid = np.asarray(canvas)
    return grid
