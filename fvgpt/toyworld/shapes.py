"""Shapes of the toy world, rasterized to exact binary masks.

A shape is a closed outline in unit coordinates (circumradius 1, centred at the origin). It is
drawn on a canvas ``supersample`` times larger than the image and a pixel belongs to the object
when at least half of its sub-pixels are covered. The resulting binary mask is both what is
painted and what is written as ground truth, so image and mask agree pixel for pixel.
"""
import math
from typing import Callable, Dict, List, Tuple

import numpy as np
from PIL import Image, ImageDraw

Point = Tuple[float, float]


def _regular_polygon(num: int, start: float = -math.pi / 2) -> List[Point]:
    return [(math.cos(start + 2 * math.pi * i / num), math.sin(start + 2 * math.pi * i / num))
            for i in range(num)]


def _star(points: int = 5, inner: float = 0.45) -> List[Point]:
    outline = []
    for i in range(2 * points):
        radius = 1.0 if i % 2 == 0 else inner
        angle = -math.pi / 2 + math.pi * i / points
        outline.append((radius * math.cos(angle), radius * math.sin(angle)))
    return outline


def _cross(half_width: float = 0.34) -> List[Point]:
    # A plus sign whose arm ends touch the unit circle (circumradius 1).
    w = half_width
    a = math.sqrt(1 - w * w)
    return [(-w, -a), (w, -a), (w, -w), (a, -w), (a, w), (w, w), (w, a), (-w, a), (-w, w), (-a, w),
            (-a, -w), (-w, -w)]


def _circle(num: int = 64) -> List[Point]:
    return _regular_polygon(num, start=0.0)


def _heart(num: int = 72) -> List[Point]:
    # The classic parametric heart, scaled to circumradius about 1, point downwards.
    pts = []
    for i in range(num):
        t = 2 * math.pi * i / num
        x = 16 * math.sin(t)**3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((x / 17.0, (y + 2.5) / 17.0))
    return pts


#: Shape name -> outline in unit coordinates (y grows downwards, as in images).
SHAPE_OUTLINES: Dict[str, Callable[[], List[Point]]] = {
    'circle':
    _circle,
    'square':
    lambda: [(x / math.sqrt(2), y / math.sqrt(2)) for x, y in [(-1, -1), (1, -1), (1, 1), (-1, 1)]],
    'triangle':
    lambda: [(x, y + 0.15) for x, y in _regular_polygon(3)],
    'star':
    _star,
    'cross':
    _cross,
    'heart':
    _heart,
    'hexagon':
    lambda: _regular_polygon(6, start=0.0),
}


def shape_mask(shape: str,
               size: int,
               centre: Tuple[float, float],
               radius: float,
               angle: float = 0.0,
               supersample: int = 4) -> np.ndarray:
    """Rasterizes a shape into a binary mask.

    Args:
        shape (str): a key of :data:`SHAPE_OUTLINES`.
        size (int): side of the square image in pixels.
        centre (tuple[float, float]): ``(x, y)`` centre in pixels.
        radius (float): circumradius in pixels.
        angle (float): rotation in degrees, counter-clockwise on screen. Defaults to 0.
        supersample (int): sub-pixels per pixel side used to decide coverage. Defaults to 4.

    Returns:
        np.ndarray: ``(size, size)`` bool mask, True on the object.
    """
    if shape not in SHAPE_OUTLINES:
        raise KeyError(f'Unknown toy-world shape "{shape}". Known: {sorted(SHAPE_OUTLINES)}')
    theta = math.radians(angle)
    cos_t, sin_t = math.cos(theta), math.sin(theta)
    s = supersample
    cx, cy = centre
    outline = [((cx + radius * (x * cos_t + y * sin_t)) * s,
                (cy + radius * (-x * sin_t + y * cos_t)) * s) for x, y in SHAPE_OUTLINES[shape]()]
    canvas = Image.new('L', (size * s, size * s), 0)
    ImageDraw.Draw(canvas).polygon(outline, fill=255)
    cover = np.asarray(canvas, dtype=np.float32).reshape(size, s, size, s).mean(axis=(1, 3))
    return cover >= 127.5
