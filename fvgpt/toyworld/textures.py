"""Background textures of the toy world.

A texture is a pattern ``p`` in [0, 1] (``(size, size)`` float32) drawn from a random generator;
:func:`render_background` paints it with two colours, ``(1 - p) * c1 + p * c2``, plus a little
pixel noise. Every texture has an adjective and a noun used by the pretraining captions
("a red circle on a striped background", "a red circle, on grass texture").
"""
import math
from typing import Callable, Dict, NamedTuple, Sequence

import numpy as np
from PIL import Image


class TextureInfo(NamedTuple):
    """How captions name a texture, and the function drawing its pattern."""
    adjective: str
    noun: str
    pattern: Callable[[np.random.Generator, int], np.ndarray]


def _coords(size: int, rng: np.random.Generator, rotate: bool = True):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    if not rotate:
        return xx, yy
    theta = rng.uniform(0, math.pi)
    u = xx * math.cos(theta) + yy * math.sin(theta)
    v = -xx * math.sin(theta) + yy * math.cos(theta)
    return u, v


def _smooth_noise(rng: np.random.Generator, size: int, cells: int) -> np.ndarray:
    """Noise of about ``cells`` x ``cells`` blobs, bilinearly upsampled to ``size``."""
    low = rng.random((cells + 1, cells + 1), dtype=np.float32)
    img = Image.fromarray(low, mode='F').resize((size, size), Image.BILINEAR)
    return np.asarray(img, dtype=np.float32)


def _striped(rng: np.random.Generator, size: int) -> np.ndarray:
    u, _ = _coords(size, rng)
    period = rng.uniform(0.09, 0.25) * size
    duty = rng.uniform(0.35, 0.65)
    return (np.mod(u + rng.uniform(0, period), period) < duty * period).astype(np.float32)


def _checkered(rng: np.random.Generator, size: int) -> np.ndarray:
    u, v = _coords(size, rng)
    cell = rng.uniform(0.06, 0.18) * size
    off = rng.uniform(0, cell, size=2)
    return (np.mod(np.floor((u + off[0]) / cell) + np.floor((v + off[1]) / cell),
                   2)).astype(np.float32)


def _dotted(rng: np.random.Generator, size: int) -> np.ndarray:
    u, v = _coords(size, rng)
    step = rng.uniform(0.1, 0.2) * size
    radius = rng.uniform(0.2, 0.35) * step
    off = rng.uniform(0, step, size=2)
    du = np.mod(u + off[0], step) - step / 2
    dv = np.mod(v + off[1], step) - step / 2
    return (du * du + dv * dv < radius * radius).astype(np.float32)


def _grass(rng: np.random.Generator, size: int) -> np.ndarray:
    # Vertical streaks: per-pixel noise averaged along columns, then contrast-stretched.
    blade = int(rng.integers(4, 10))
    noise = rng.random((size + blade, size), dtype=np.float32)
    cums = np.cumsum(noise, axis=0)
    streaks = (cums[blade:] - cums[:-blade]) / blade
    streaks = np.clip((streaks - 0.5) * rng.uniform(4.0, 6.0) + 0.5, 0, 1)
    shear = rng.uniform(-0.4, 0.4)
    rows = np.arange(size)[:, None]
    cols = (np.arange(size)[None, :] + np.round(shear * rows).astype(int)) % size
    return streaks[rows, cols]


def _speckled(rng: np.random.Generator, size: int) -> np.ndarray:
    density = rng.uniform(0.15, 0.4)
    grain = int(rng.integers(1, 3))
    cells = (size + grain - 1) // grain
    low = (rng.random((cells, cells)) < density).astype(np.float32)
    return np.kron(low, np.ones((grain, grain), np.float32))[:size, :size]


def _wavy(rng: np.random.Generator, size: int) -> np.ndarray:
    u, v = _coords(size, rng)
    period = rng.uniform(0.12, 0.25) * size
    amp = rng.uniform(0.04, 0.1) * size
    wavelength = rng.uniform(0.3, 0.6) * size
    phase = u + amp * np.sin(2 * math.pi * v / wavelength + rng.uniform(0, 2 * math.pi))
    return (np.mod(phase, period) < period / 2).astype(np.float32)


def _brick(rng: np.random.Generator, size: int) -> np.ndarray:
    xx, yy = _coords(size, rng, rotate=False)
    if rng.random() < 0.5:
        xx, yy = yy, xx
    height = rng.uniform(0.08, 0.16) * size
    width = height * rng.uniform(1.8, 2.6)
    mortar = max(1.0, 0.15 * height)
    yy = yy + rng.uniform(0, height)
    row = np.floor(yy / height)
    shift = np.where(np.mod(row, 2) == 0, 0.0, width / 2)
    in_row = np.mod(yy, height) < mortar
    in_col = np.mod(xx + shift + rng.uniform(0, width), width) < mortar
    return (in_row | in_col).astype(np.float32)


def _cloudy(rng: np.random.Generator, size: int) -> np.ndarray:
    p = 0.65 * _smooth_noise(rng, size, int(rng.integers(2, 5)))
    p += 0.35 * _smooth_noise(rng, size, int(rng.integers(6, 10)))
    lo, hi = float(p.min()), float(p.max())
    return (p - lo) / max(hi - lo, 1e-6)


#: Texture name -> caption words and pattern function. Order fixes the spurious style of a class.
TEXTURES: Dict[str, TextureInfo] = {
    'striped': TextureInfo('striped', 'stripes', _striped),
    'checkered': TextureInfo('checkered', 'checkerboard', _checkered),
    'dotted': TextureInfo('dotted', 'dots', _dotted),
    'grass': TextureInfo('grassy', 'grass', _grass),
    'speckled': TextureInfo('speckled', 'speckles', _speckled),
    'wavy': TextureInfo('wavy', 'waves', _wavy),
    'brick': TextureInfo('brick', 'brick', _brick),
    'cloudy': TextureInfo('cloudy', 'clouds', _cloudy),
}


def render_background(texture: str,
                      colours: Sequence[Sequence[float]],
                      size: int,
                      rng: np.random.Generator,
                      noise: float = 4.0) -> np.ndarray:
    """Paints a texture with two colours.

    Args:
        texture (str): a key of :data:`TEXTURES`.
        colours (Sequence): two RGB colours in [0, 255].
        size (int): side of the square image in pixels.
        rng (np.random.Generator): source of the texture's geometry and noise.
        noise (float): standard deviation of the pixel noise, in grey levels. Defaults to 4.

    Returns:
        np.ndarray: ``(size, size, 3)`` float32 RGB image in [0, 255].
    """
    if texture not in TEXTURES:
        raise KeyError(f'Unknown toy-world texture "{texture}". Known: {sorted(TEXTURES)}')
    p = TEXTURES[texture].pattern(rng, size)[..., None]
    c1 = np.asarray(colours[0], np.float32)
    c2 = np.asarray(colours[1], np.float32)
    img = (1 - p) * c1 + p * c2
    img += rng.normal(0, noise, size=img.shape).astype(np.float32)
    return np.clip(img, 0, 255)
