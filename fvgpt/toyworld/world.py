"""The toy world: classes, and the deterministic drawing and rendering of its samples.

A class is a colour x shape combination ("red circle"). A sample is one object of its class on a
textured background, at a random size, position and rotation, with the object's exact binary
mask. Everything a sample looks like follows from ``(config.seed, stream, label, index)``, so a
world is regenerated bit for bit from its config, and the pretraining stream of the small CLIP
(:data:`STREAMS` ``'pretrain'``) never draws an image of the benchmark splits.

The default world is the *downstream* world, and its looks differ from those ToyCLIP was
pretrained on (:data:`fvgpt.toyworld.PRETRAIN_WORLD`: the same generator with every shift off),
as real downstream datasets differ from CLIP's web images:

- ``hue_shift``: every object's hue is turned by this many degrees (a camera with another colour
  response), so colour words fit the images less well than in pretraining;
- ``class_hue_jitter``: each class's objects are turned further by an amount of their own, which
  no word explains: what tuning learns of it on the base classes does not carry over to the new
  ones (as real class names carry knowledge that a few base classes do not teach);
- ``noise_std``: Gaussian pixel noise over the whole image;
- ``distractor_ratio``: this share of images shows a smaller object of another class behind the
  object (``distractor_scale``), which is not part of the foreground mask;
- ``scale_range``: the object's size.

Two knobs expose the problem FVG-PT addresses:

- ``spurious_corr``: in the *train* split only, this share of a class's images shows the class's
  own background style (one texture and colour pair per class, :meth:`ToyWorld.class_style`), so
  the background predicts the class in training but not at test time (0 = no correlation).
- ``degraded_mask_ratio``: this share of the *train* split's written masks is degraded (eroded,
  shifted or empty) so that FVG-PT's reliability gate has bad masks to learn from. The image is
  untouched; val and test masks are always exact.

Both knobs are decided by draws that happen whatever their value, so worlds that differ only in a
knob show the same objects, and the same backgrounds wherever the knob does not act.
"""
import colorsys
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .shapes import SHAPE_OUTLINES, shape_mask
from .textures import TEXTURES, render_background

#: Colour name -> hue in degrees. The rendering jitters hue, saturation and value around it.
COLOUR_HUES: Dict[str, float] = {
    'red': 0.0,
    'orange': 28.0,
    'yellow': 55.0,
    'green': 120.0,
    'cyan': 180.0,
    'blue': 222.0,
    'purple': 280.0,
    'pink': 325.0,
}

#: Random streams of the generator: one per benchmark split, one for CLIP pretraining.
STREAMS: Dict[str, int] = {'train': 0, 'val': 1, 'test': 2, 'pretrain': 7}
_STYLE_STREAM = 100
_CLASS_HUE_STREAM = 101
SPLITS: Tuple[str, ...] = ('train', 'val', 'test')
MASK_FAULTS: Tuple[str, ...] = ('eroded', 'shifted', 'empty')

#: Object diameters (fraction of the image side) below / above which captions say small / large.
SMALL_BELOW, LARGE_ABOVE = 0.42, 0.6


@dataclass(frozen=True)
class ToyWorldConfig:
    """Everything that defines a toy world.

    Args:
        seed (int): seed of the world. Defaults to 0.
        image_size (int): image side in pixels (64 to 96). Defaults to 64.
        colours (tuple[str]): colour words, keys of :data:`COLOUR_HUES`.
        shapes (tuple[str]): shape words, keys of ``SHAPE_OUTLINES``.
        num_train (int): training images per class. Defaults to 40.
        num_val (int): validation images per class. Defaults to 10.
        num_test (int): test images per class. Defaults to 20.
        spurious_corr (float): share of training images of a class drawn on the class's own
            background style (0 = none). Defaults to 1.
        degraded_mask_ratio (float): share of training masks written degraded. Defaults to 0.2.
        scale_range (tuple[float, float]): range of the object's diameter as a fraction of the
            image side. Defaults to (0.35, 0.8).
        distractor_ratio (float): share of images (every split) with a distractor object of
            another class behind the object, outside its mask. Defaults to 0.4.
        distractor_scale (tuple[float, float]): range of the distractor's diameter as a fraction
            of the image side. Defaults to (0.2, 0.35).
        hue_shift (float): degrees added to the hue of every object (and distractor). Defaults
            to 25.
        class_hue_jitter (float): each class's objects get a further hue offset of its own,
            ``+-`` between half this and this many degrees (sign and size drawn per class from
            the world seed): a shift that no word of the class explains. Defaults to 12.
        noise_std (float): standard deviation of Gaussian pixel noise over the image, in grey
            levels. Defaults to 10.
    """
    seed: int = 0
    image_size: int = 64
    colours: Tuple[str, ...] = ('red', 'orange', 'yellow', 'green', 'blue', 'purple')
    shapes: Tuple[str, ...] = ('circle', 'square', 'triangle', 'star', 'cross')
    num_train: int = 40
    num_val: int = 10
    num_test: int = 20
    spurious_corr: float = 1.0
    degraded_mask_ratio: float = 0.2
    scale_range: Tuple[float, float] = field(default=(0.35, 0.8))
    distractor_ratio: float = 0.4
    distractor_scale: Tuple[float, float] = field(default=(0.2, 0.35))
    hue_shift: float = 25.0
    class_hue_jitter: float = 12.0
    noise_std: float = 10.0

    def __post_init__(self):
        unknown = [c for c in self.colours if c not in COLOUR_HUES]
        unknown += [s for s in self.shapes if s not in SHAPE_OUTLINES]
        if unknown:
            raise ValueError(f'Unknown toy-world words {unknown}. Colours: {sorted(COLOUR_HUES)}; '
                             f'shapes: {sorted(SHAPE_OUTLINES)}.')
        if len(set(self.colours)) != len(self.colours) or len(set(self.shapes)) != len(self.shapes):
            raise ValueError('Toy-world colours and shapes must not repeat.')
        if not 32 <= self.image_size <= 256:
            raise ValueError(f'image_size={self.image_size}: use 32 to 256 (64 to 96 intended).')
        if not (0 <= self.spurious_corr <= 1 and 0 <= self.degraded_mask_ratio <= 1):
            raise ValueError('spurious_corr and degraded_mask_ratio are shares in [0, 1].')
        for name in ('scale_range', 'distractor_scale'):
            lo, hi = getattr(self, name)
            if not 0.1 <= lo <= hi <= 0.95:
                raise ValueError(f'{name}={getattr(self, name)}: need 0.1 <= low <= high <= 0.95.')
        if not 0 <= self.distractor_ratio <= 1:
            raise ValueError(f'distractor_ratio={self.distractor_ratio} is a share in [0, 1].')
        if not (-180 <= self.hue_shift <= 180 and 0 <= self.class_hue_jitter <= 90
                and self.noise_std >= 0):
            raise ValueError(f'hue_shift={self.hue_shift} must lie in [-180, 180] degrees, '
                             f'class_hue_jitter={self.class_hue_jitter} in [0, 90] and '
                             f'noise_std={self.noise_std} must not be negative.')

    def to_dict(self) -> dict:
        """A JSON-friendly dict of the config (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, cfg: dict) -> 'ToyWorldConfig':
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in cfg.items()})


@dataclass(frozen=True)
class SampleSpec:
    """Every drawn parameter of one sample; :meth:`ToyWorld.render` turns it into pixels."""
    label: int
    colour: str
    shape: str
    centre: Tuple[float, float]
    radius: float
    angle: float
    rgb: Tuple[float, float, float]
    shade: Tuple[float, float]  # direction (radians) and strength of the light gradient
    obj_seed: int
    texture: str
    bg_colours: Tuple[Tuple[float, float, float], Tuple[float, float, float]]
    bg_seed: int
    spurious: bool = False
    mask_fault: str = 'exact'
    fault_seed: int = 0
    distractor: Optional['Distractor'] = None
    noise_seed: int = 0


@dataclass(frozen=True)
class Distractor:
    """A smaller object of another class painted behind the sample's object (not in its mask)."""
    label: int
    shape: str
    centre: Tuple[float, float]
    radius: float
    angle: float
    rgb: Tuple[float, float, float]


@dataclass
class ToySample:
    """A rendered sample.

    Attributes:
        image (np.ndarray): ``(H, W, 3)`` uint8 RGB.
        mask (np.ndarray): ``(H, W)`` uint8 in {0, 1}: the exact foreground.
        written_mask (np.ndarray): the mask the generator writes to disk: ``mask`` itself, or its
            degraded version when ``spec.mask_fault != 'exact'``.
        spec (SampleSpec): the parameters the sample was rendered from.
    """
    image: np.ndarray
    mask: np.ndarray
    written_mask: np.ndarray
    spec: SampleSpec


def hsv_to_rgb255(h_deg: float, s: float, v: float) -> Tuple[float, float, float]:
    r, g, b = colorsys.hsv_to_rgb((h_deg % 360.0) / 360.0, s, v)
    return (255.0 * r, 255.0 * g, 255.0 * b)


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(key[0], spawn_key=tuple(key[1:])))


def _background_colours(rng: np.random.Generator):
    h1, s1, v1 = rng.uniform(0, 360), rng.uniform(0, 0.5), rng.uniform(0.25, 0.95)
    h2, s2 = h1 + rng.uniform(-120, 120), rng.uniform(0, 0.5)
    dv = rng.uniform(0.2, 0.5)
    v2 = v1 - dv if v1 - dv >= 0.1 else min(1.0, v1 + dv)
    return (hsv_to_rgb255(h1, s1, v1), hsv_to_rgb255(h2, s2, v2))


def erode(mask: np.ndarray, steps: int) -> np.ndarray:
    """Binary erosion of a bool mask by ``steps`` 3x3 steps (outside the image counts as 0)."""
    m = mask.astype(bool)
    h, w = m.shape
    for _ in range(steps):
        p = np.pad(m, 1, constant_values=False)
        out = np.ones_like(m)
        for dy in range(3):
            for dx in range(3):
                out &= p[dy:dy + h, dx:dx + w]
        m = out
    return m


def shift(mask: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Translates a mask by whole pixels, filling with 0."""
    h, w = mask.shape
    out = np.zeros_like(mask)
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = mask[ys, xs]
    return out


def degrade_mask(mask: np.ndarray, fault: str, radius: float, seed: int) -> np.ndarray:
    """Degrades an exact mask the way a poor segmenter would.

    Args:
        mask (np.ndarray): ``(H, W)`` exact mask in {0, 1}.
        fault (str): ``'exact'`` (unchanged), ``'eroded'`` (eroded by 30-60 % of the object's
            radius), ``'shifted'`` (moved by 0.7 to 1.3 radii) or ``'empty'``.
        radius (float): the object's circumradius in pixels.
        seed (int): seed of the fault's random size and direction.

    Returns:
        np.ndarray: ``(H, W)`` uint8 mask in {0, 1}.
    """
    rng = np.random.default_rng(seed)
    if fault == 'exact':
        out = mask.astype(bool)
    elif fault == 'eroded':
        out = erode(mask, max(1, int(round(rng.uniform(0.3, 0.6) * radius))))
    elif fault == 'shifted':
        dist, theta = rng.uniform(0.7, 1.3) * radius, rng.uniform(0, 2 * math.pi)
        dx, dy = int(round(dist * math.cos(theta))), int(round(dist * math.sin(theta)))
        out = shift(mask.astype(bool), dx, dy)
    elif fault == 'empty':
        out = np.zeros(mask.shape, bool)
    else:
        raise ValueError(f'Unknown mask fault "{fault}"; use exact, {", ".join(MASK_FAULTS)}.')
    return out.astype(np.uint8)


class ToyWorld:
    """Classes and samples of a toy world.

    Labels put the base classes (the first ``ceil(C / 2)`` labels of the B2N protocol) first.
    Colour ``c`` is a base class with ``ceil(S / 2)`` (even ``c``) or ``floor(S / 2)`` (odd ``c``)
    shapes, taken cyclically from shape ``c`` on, which makes exactly ``ceil(C / 2)`` base classes
    in which every colour and every shape occurs, mixed rather than in blocks; a new class is an
    unseen combination of words seen in base classes.

    Args:
        config (ToyWorldConfig, optional): the world. Defaults to ``ToyWorldConfig()``.
    """

    def __init__(self, config: Optional[ToyWorldConfig] = None):
        self.config = config or ToyWorldConfig()
        cfg = self.config
        n_shapes = len(cfg.shapes)
        base, new = [], []
        for c in range(len(cfg.colours)):
            # Colour c takes the next ceil or floor (alternating) of the shapes, cyclically
            # starting at shape c: base words co-occur in overlapping groups, not in two blocks.
            k = (n_shapes + 1) // 2 if c % 2 == 0 else n_shapes // 2
            chosen = {(c + j) % n_shapes for j in range(k)}
            for s in range(n_shapes):
                (base if s in chosen else new).append((c, s))
        self.class_words: List[Tuple[str, str]] = [(cfg.colours[c], cfg.shapes[s])
                                                   for c, s in base + new]
        self.classes: Tuple[str, ...] = tuple(f'{c} {s}' for c, s in self.class_words)
        self.num_base = len(base)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def class_dir(self, label: int) -> str:
        """Folder name of a class under ``images/`` and ``mask/`` ("red_circle")."""
        return self.classes[label].replace(' ', '_')

    def num_per_class(self, split: str) -> int:
        return {
            'train': self.config.num_train,
            'val': self.config.num_val,
            'test': self.config.num_test
        }[split]

    def relpath(self, split: str, label: int, index: int) -> str:
        """Image path relative to ``images/`` (and mask path relative to ``mask/``)."""
        return f'{self.class_dir(label)}/{split}_{index:04d}.png'

    def class_style(self, label: int) -> Tuple[str, tuple]:
        """The background style (texture, colour pair) a class shows under ``spurious_corr``."""
        names = list(TEXTURES)
        rng = _rng(self.config.seed, _STYLE_STREAM, label)
        return names[label % len(names)], _background_colours(rng)

    def class_hue_offset(self, label: int) -> float:
        """Degrees added to the hue of the objects of a class (global shift + its own)."""
        jitter = self.config.class_hue_jitter
        own = 0.0
        if jitter > 0:
            rng = _rng(self.config.seed, _CLASS_HUE_STREAM, label)
            own = float(rng.choice([-1.0, 1.0]) * rng.uniform(jitter / 2, jitter))
        return self.config.hue_shift + own

    def size_word(self, spec: SampleSpec) -> Optional[str]:
        """'small' / 'large' when the object's diameter is clearly so, else None."""
        frac = 2 * spec.radius / self.config.image_size
        return 'small' if frac < SMALL_BELOW else 'large' if frac > LARGE_ABOVE else None

    def draw_spec(self, split: str, label: int, index: int) -> SampleSpec:
        """Draws every parameter of sample ``index`` of class ``label`` in a stream.

        Args:
            split (str): ``'train'``, ``'val'``, ``'test'`` or ``'pretrain'``.
            label (int): class label.
            index (int): index of the sample within its class and stream.
        """
        if split not in STREAMS:
            raise KeyError(f'Unknown toy-world stream "{split}"; known: {list(STREAMS)}')
        if not 0 <= label < self.num_classes:
            raise IndexError(f'label {label} out of range 0..{self.num_classes - 1}')
        cfg, size = self.config, self.config.image_size
        key = (cfg.seed, STREAMS[split], label, index)
        colour, shape = self.class_words[label]

        obj = _rng(*key, 0)
        radius = obj.uniform(*cfg.scale_range) * size / 2
        centre = (obj.uniform(radius + 1,
                              size - radius - 1), obj.uniform(radius + 1, size - radius - 1))
        angle = obj.uniform(-20, 20)
        hue = COLOUR_HUES[colour] + self.class_hue_offset(label) + obj.uniform(-6, 6)
        rgb = hsv_to_rgb255(hue, obj.uniform(0.65, 1.0), obj.uniform(0.6, 1.0))
        shade = (obj.uniform(0, 2 * math.pi), obj.uniform(0, 0.2))
        obj_seed = int(obj.integers(2**31))

        bg = _rng(*key, 1)
        texture = list(TEXTURES)[int(bg.integers(len(TEXTURES)))]
        bg_colours = _background_colours(bg)
        bg_seed = int(bg.integers(2**31))

        knobs = _rng(*key, 2)
        spurious = bool(knobs.random() < cfg.spurious_corr) and split == 'train'
        faulty = bool(knobs.random() < cfg.degraded_mask_ratio) and split == 'train'
        fault = MASK_FAULTS[int(knobs.integers(len(MASK_FAULTS)))]
        fault_seed = int(knobs.integers(2**31))
        if spurious:
            texture, bg_colours = self.class_style(label)

        extra = _rng(*key, 3)
        distractor = self._draw_distractor(extra, label, centre, radius)
        noise_seed = int(extra.integers(2**31))
        if not extra.random() < cfg.distractor_ratio:
            distractor = None
        return SampleSpec(
            label=label,
            colour=colour,
            shape=shape,
            centre=centre,
            radius=radius,
            angle=angle,
            rgb=rgb,
            shade=shade,
            obj_seed=obj_seed,
            texture=texture,
            bg_colours=bg_colours,
            bg_seed=bg_seed,
            spurious=spurious,
            mask_fault=fault if faulty else 'exact',
            fault_seed=fault_seed,
            distractor=distractor,
            noise_seed=noise_seed)

    def _draw_distractor(self, rng: np.random.Generator, label: int, centre: Tuple[float, float],
                         radius: float) -> Distractor:
        """An object of another class, placed as far from the sample's object as 4 tries get."""
        cfg, size = self.config, self.config.image_size
        other = int(rng.integers(self.num_classes - 1))
        other += other >= label
        colour, shape = self.class_words[other]
        d_radius = rng.uniform(*cfg.distractor_scale) * size / 2
        tries = rng.uniform(d_radius + 1, size - d_radius - 1, size=(4, 2))
        far = int(np.argmax(np.hypot(tries[:, 0] - centre[0], tries[:, 1] - centre[1])))
        hue = COLOUR_HUES[colour] + self.class_hue_offset(other) + rng.uniform(-6, 6)
        rgb = hsv_to_rgb255(hue, rng.uniform(0.65, 1.0), rng.uniform(0.6, 1.0))
        return Distractor(
            label=other,
            shape=shape,
            centre=(float(tries[far, 0]), float(tries[far, 1])),
            radius=d_radius,
            angle=rng.uniform(-20, 20),
            rgb=rgb)

    def render(self, spec: SampleSpec) -> ToySample:
        """Renders a sample: background, object painted through its exact mask, written mask."""
        size = self.config.image_size
        mask = shape_mask(spec.shape, size, spec.centre, spec.radius, spec.angle)
        background = render_background(spec.texture, spec.bg_colours, size,
                                       np.random.default_rng(spec.bg_seed))
        d = spec.distractor
        if d is not None:
            # Painted first, so the sample's object covers it where they overlap.
            d_mask = shape_mask(d.shape, size, d.centre, d.radius, d.angle)
            background = np.where(d_mask[..., None], np.asarray(d.rgb, np.float32), background)
        obj_rng = np.random.default_rng(spec.obj_seed)
        yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
        direction, strength = spec.shade
        ramp = ((xx - spec.centre[0]) * math.cos(direction) +
                (yy - spec.centre[1]) * math.sin(direction)) / spec.radius
        light = 1.0 + strength * np.clip(ramp, -1, 1)
        obj = np.asarray(spec.rgb, np.float32) * light[..., None]
        obj += obj_rng.normal(0, 5.0, size=obj.shape).astype(np.float32)
        image = np.where(mask[..., None], obj, background)
        if self.config.noise_std > 0:
            noise = np.random.default_rng(spec.noise_seed).normal(0, self.config.noise_std,
                                                                  image.shape)
            image = image + noise.astype(np.float32)
        image = np.clip(np.round(image), 0, 255).astype(np.uint8)
        written = degrade_mask(mask, spec.mask_fault, spec.radius, spec.fault_seed)
        return ToySample(image=image, mask=mask.astype(np.uint8), written_mask=written, spec=spec)

    def sample(self, split: str, label: int, index: int) -> ToySample:
        """Draws and renders one sample (see :meth:`draw_spec`)."""
        return self.render(self.draw_spec(split, label, index))

    def render_split(self,
                     split: str,
                     per_class: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray]:
        """Renders a split in memory, in the order of the split file.

        Args:
            split (str): ``'train'``, ``'val'`` or ``'test'``.
            per_class (int, optional): only the first ``per_class`` images of each class.

        Returns:
            tuple: uint8 RGB images ``(N, H, W, 3)`` (identical to the written PNGs) and labels.
        """
        n = self.num_per_class(split) if per_class is None else per_class
        images, labels = [], []
        for label in range(self.num_classes):
            for index in range(n):
                images.append(self.sample(split, label, index).image)
                labels.append(label)
        return np.stack(images), np.asarray(labels)

    def with_background(self, spec: SampleSpec, texture: str, bg_colours: Sequence,
                        bg_seed: int) -> SampleSpec:
        """The same object on another background (used to check that masks are exact)."""
        return replace(
            spec, texture=texture, bg_colours=tuple(map(tuple, bg_colours)), bg_seed=bg_seed)
