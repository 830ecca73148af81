"""FVG-PT's foreground view ``x_fg = compose(x, m)`` of an augmented image and its mask."""
from typing import Optional, Sequence

import cv2
import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from open_clip.constants import OPENAI_DATASET_MEAN

from fvgpt.registry import TRANSFORMS

MODES = ('masked', 'crop', 'blur')
#: CLIP's normalization mean (RGB, 0-255): the default fill of ``'masked'``.
CLIP_MEAN_RGB = tuple(v * 255 for v in OPENAI_DATASET_MEAN)


@TRANSFORMS.register_module()
class ForegroundView(BaseTransform):
    """Writes ``img_fg``, the foreground view of ``img`` under ``gt_fg_mask``.

    Put it after the geometric augmentations (which move ``img`` and ``gt_fg_mask`` together) and
    before ``PackInputs(algorithm_keys=('img_fg', 'gt_fg_mask', 'fg_mask_valid'))``. The mask is
    binarized at 0.5.

    Modes (``fg_view`` of METHOD.md):

    - ``'masked'`` (default): background pixels take the normalization mean, so they are
      (up to uint8 rounding, below 0.01) 0 after the data preprocessor's normalization.
    - ``'crop'``: the mask's bounding box (grown by ``crop_margin``), resized to the image size.
    - ``'blur'``: the background Gaussian-blurred.

    An empty mask (a missing one, or an augmentation that cropped the object away) gives no
    foreground: ``'masked'`` an image of the mean colour, ``'blur'`` the blurred image,
    ``'crop'`` the image itself. FVG-PT's gate ignores such samples (``r = 0``).

    Required keys: ``img`` (HxWx3 uint8 BGR), ``gt_fg_mask`` (HxW). Added key: ``img_fg``
    (HxWx3 uint8 BGR, the size of ``img``).

    Args:
        mode (str): ``'masked'``, ``'crop'`` or ``'blur'``. Defaults to ``'masked'``.
        mean (Sequence[float]): the data preprocessor's ``mean`` (0-255). Defaults to CLIP's.
        to_rgb (bool): the data preprocessor's ``to_rgb``: True means ``mean`` is in RGB order
            and is reversed for the BGR image. Defaults to True.
        blur_sigma_ratio (float): Gaussian sigma of ``'blur'``, as a fraction of the shorter
            image side. Defaults to 0.05.
        crop_margin (float): ``'crop'`` grows the box by this fraction of its size on each side.
            Defaults to 0.0.
        interpolation (str): resize interpolation of ``'crop'``. Defaults to ``'bicubic'``.
        backend (str): resize backend of ``'crop'``: ``'pillow'`` (antialiased, as Dassl's
            resizing) or ``'cv2'``. Defaults to ``'pillow'``.
    """

    def __init__(self,
                 mode: str = 'masked',
                 mean: Sequence[float] = CLIP_MEAN_RGB,
                 to_rgb: bool = True,
                 blur_sigma_ratio: float = 0.05,
                 crop_margin: float = 0.0,
                 interpolation: str = 'bicubic',
                 backend: str = 'pillow'):
        if mode not in MODES:
            raise ValueError(f'ForegroundView mode must be one of {MODES}, got "{mode}".')
        if len(mean) != 3:
            raise ValueError(f'mean must have 3 values (one per channel), got {mean}.')
        self.mode = mode
        self.mean = tuple(float(m) for m in mean)
        self.to_rgb = to_rgb
        self.blur_sigma_ratio = blur_sigma_ratio
        self.crop_margin = crop_margin
        self.interpolation = interpolation
        if backend not in ('pillow', 'cv2'):
            raise ValueError(f'ForegroundView backend must be "pillow" or "cv2", got "{backend}".')
        self.backend = backend

    @property
    def fill_bgr(self) -> np.ndarray:
        """The ``'masked'`` background colour in the image's (BGR) channel order, uint8."""
        fill = self.mean[::-1] if self.to_rgb else self.mean
        return np.clip(np.round(fill), 0, 255).astype(np.uint8)

    def transform(self, results: dict) -> dict:
        if 'gt_fg_mask' not in results:
            raise KeyError('ForegroundView needs "gt_fg_mask": load the masks first '
                           '(LoadForegroundMask) and apply geometric augmentations to both.')
        img = results['img']
        fg = np.asarray(results['gt_fg_mask']) >= 0.5
        if fg.shape != img.shape[:2]:
            raise ValueError(f'gt_fg_mask {fg.shape} is not aligned with img {img.shape[:2]}: '
                             'use the paired geometric transforms for image and mask.')
        results['img_fg'] = getattr(self, f'_{self.mode}')(img, fg)
        return results

    def _masked(self, img: np.ndarray, fg: np.ndarray) -> np.ndarray:
        out = img.copy()
        out[~fg] = self.fill_bgr[:out.shape[2]] if out.ndim == 3 else self.fill_bgr[0]
        return out

    def _crop(self, img: np.ndarray, fg: np.ndarray) -> np.ndarray:
        box = self.box(fg, self.crop_margin)
        if box is None:
            return img.copy()
        x0, y0, x1, y1 = box
        h, w = img.shape[:2]
        return mmcv.imresize(
            np.ascontiguousarray(img[y0:y1, x0:x1]), (w, h),
            interpolation=self.interpolation,
            backend=self.backend)

    def _blur(self, img: np.ndarray, fg: np.ndarray) -> np.ndarray:
        sigma = max(self.blur_sigma_ratio * min(img.shape[:2]), 1e-3)
        blurred = cv2.GaussianBlur(
            img, (0, 0), sigmaX=sigma, sigmaY=sigma, borderType=cv2.BORDER_REFLECT)
        keep = fg[..., None] if img.ndim == 3 else fg
        return np.where(keep, img, blurred).astype(img.dtype)

    @staticmethod
    def box(fg: np.ndarray, margin: float = 0.0) -> Optional[tuple]:
        """The box ``(x0, y0, x1, y1)`` (end-exclusive) around the mask, grown by ``margin``
        of its size on each side and clipped to the image; None for an empty mask."""
        ys, xs = np.nonzero(fg)
        if ys.size == 0:
            return None
        x0, x1, y0, y1 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
        dx, dy = int(round(margin * (x1 - x0))), int(round(margin * (y1 - y0)))
        h, w = fg.shape
        return (max(0, x0 - dx), max(0, y0 - dy), min(w, x1 + dx), min(h, y1 + dy))

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(mode={self.mode!r}, mean={self.mean}, '
                f'to_rgb={self.to_rgb}, blur_sigma_ratio={self.blur_sigma_ratio}, '
                f'crop_margin={self.crop_margin}, interpolation={self.interpolation!r}, '
                f'backend={self.backend!r})')
