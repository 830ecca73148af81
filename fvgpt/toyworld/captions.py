"""Captions of toy-world images for pretraining the small CLIP.

A caption names the object ("a photo of a red circle.") and sometimes its background ("a red
circle on a striped background.") or size ("a small red circle."); a few name only the colour
or only the shape, so that the text encoder learns the two words separately and can compose them
for classes whose combination it rarely saw. Each caption records the attributes it mentions, so
that the contrastive loss can count every image that fits a caption as a positive of it
(:func:`caption_matches`), not only the image it was written for.
"""
from typing import Dict, List, Sequence, Tuple

import numpy as np

from .textures import TEXTURES

Attributes = Dict[str, str]

#: (template, weight). Fields: {colour} {shape} {adj} (texture adjective) {noun} (texture noun)
#: {size}. Templates with {size} are only used for clearly small or large objects.
CAPTION_TEMPLATES: Tuple[Tuple[str, float], ...] = (
    ('a photo of a {colour} {shape}.', 0.24),
    ('a {colour} {shape}.', 0.08),
    ('a picture of a {colour} {shape}.', 0.05),
    ('a {colour} {shape} on a {adj} background.', 0.14),
    ('a photo of a {colour} {shape}, on {noun} texture', 0.10),
    ('a {colour} {shape} in front of {noun}.', 0.06),
    ('a {adj} background with a {colour} {shape}.', 0.05),
    ('a photo of a {size} {colour} {shape}.', 0.08),
    ('a {size} {colour} {shape} on {noun}.', 0.04),
    ('a photo of a {colour} object.', 0.05),
    ('a photo of a {shape}.', 0.05),
    ('a {colour} shape on a {adj} background.', 0.03),
    ('a {shape} on {noun} texture', 0.03),
)


def caption_attributes(template: str, attrs: Attributes) -> Attributes:
    """The attributes a template mentions, with their values for ``attrs``."""
    mentioned = {}
    for key, field in (('colour', '{colour}'), ('shape', '{shape}'), ('texture', '{adj}'),
                       ('texture', '{noun}'), ('size', '{size}')):
        if field in template:
            mentioned[key] = attrs[key]
    return mentioned


def make_caption(attrs: Attributes, rng: np.random.Generator) -> Tuple[str, Attributes]:
    """Draws a caption for an image.

    Args:
        attrs (dict): the image's ``colour``, ``shape``, ``texture`` and ``size`` (``'small'``,
            ``'large'`` or ``''`` for middle sizes).
        rng (np.random.Generator): source of the template choice.

    Returns:
        tuple[str, dict]: the caption and the attributes it mentions.
    """
    templates = [(t, w) for t, w in CAPTION_TEMPLATES if attrs.get('size') or '{size}' not in t]
    weights = np.array([w for _, w in templates])
    template = templates[int(rng.choice(len(templates), p=weights / weights.sum()))][0]
    info = TEXTURES[attrs['texture']]
    text = template.format(
        colour=attrs['colour'],
        shape=attrs['shape'],
        adj=info.adjective,
        noun=info.noun,
        size=attrs.get('size') or '')
    return text, caption_attributes(template, attrs)


def caption_matches(image_attrs: Sequence[Attributes],
                    caption_attrs: Sequence[Attributes]) -> np.ndarray:
    """Which images fit which captions.

    Args:
        image_attrs (Sequence[dict]): full attributes of N images.
        caption_attrs (Sequence[dict]): mentioned attributes of M captions.

    Returns:
        np.ndarray: ``(N, M)`` bool, True where every attribute caption j mentions has the value
        image i shows.
    """
    out = np.ones((len(image_attrs), len(caption_attrs)), dtype=bool)
    for j, cap in enumerate(caption_attrs):
        for key, value in cap.items():
            out[:, j] &= np.array([img.get(key) == value for img in image_attrs], dtype=bool)
    return out


def vocabulary(colours: Sequence[str], shapes: Sequence[str]) -> List[str]:
    """Every word the captions use for objects and backgrounds (for documentation and tests)."""
    words = list(colours) + list(shapes) + ['small', 'large']
    for info in TEXTURES.values():
        words += [info.adjective, info.noun]
    return words
