"""Reading image and mask files fully to find the unreadable and the unusable ones.

Decoders differ in what they forgive: OpenCV decodes a truncated JPEG into a partly grey image
without an error. Here every file is decoded completely by Pillow, which refuses truncated data.
"""
import os.path as osp
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

from PIL import Image, ImageFile

from fvgpt.segmentation.mask_io import decode_mask
from fvgpt.segmentation.mask_layout import find_mask_file

#: The kinds of unusable masks, in report order.
MASK_PROBLEMS = ('missing', 'unreadable', 'wrong size', 'empty', 'full')
#: Relative difference of aspect ratio from which a mask does not fit its image (masks may be
#: stored at another resolution, e.g. the authors' bundle at a shorter side of 512).
ASPECT_TOLERANCE = 0.02


def unreadable_reason(path: str) -> Optional[str]:
    """Why ``path`` cannot be read as an image (None when it decodes completely).

    Args:
        path (str): an image or mask file.

    Returns:
        str | None: ``'missing'``, ``'empty (0 bytes)'``, or ``'truncated or damaged (...)'``.
    """
    if not osp.isfile(path):
        return 'missing'
    if osp.getsize(path) == 0:
        return 'empty (0 bytes)'
    forgiving = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False  # here truncation is what we look for
    try:
        with Image.open(path) as im:
            im.load()
    except Exception as err:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError
        return f'truncated or damaged ({type(err).__name__}: {err})'
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = forgiving
    return None


def mask_problem(mask_path: str, img_path: str, threshold: float = 0.5) -> Optional[str]:
    """What makes the mask of ``img_path`` unusable, one of :data:`MASK_PROBLEMS`, or None.

    The mask is decoded as ``LoadForegroundMask`` decodes it; its size may differ from the
    image's (it is resized to the image), its aspect ratio may not.
    """
    found = find_mask_file(mask_path)
    if found is None:
        return 'missing'
    if unreadable_reason(found) is not None:
        return 'unreadable'
    with open(found, 'rb') as f:
        mask = decode_mask(f.read(), threshold)
    try:
        with Image.open(img_path) as im:  # the header only
            width, height = im.size
    except Exception:  # noqa: BLE001 - the image's own problem is reported elsewhere
        width, height = mask.shape[1], mask.shape[0]
    mask_h, mask_w = mask.shape
    if abs((mask_w / mask_h) / (width / height) - 1) > ASPECT_TOLERANCE:
        return 'wrong size'
    if not mask.any():
        return 'empty'
    if mask.all():
        return 'full'
    return None


def survey_masks(pairs: Sequence[Tuple[str, str]]) -> Tuple[Counter, Dict[str, List[str]]]:
    """Counts the unusable masks of ``(mask_path, img_path)`` pairs per kind.

    Returns:
        tuple: a ``Counter`` of kinds and, per kind, the mask paths (in input order).
    """
    counts: Counter = Counter()
    examples: Dict[str, List[str]] = {}
    for mask_path, img_path in pairs:
        kind = mask_problem(mask_path, img_path)
        if kind is not None:
            counts[kind] += 1
            examples.setdefault(kind, []).append(find_mask_file(mask_path) or mask_path)
    return counts, examples
