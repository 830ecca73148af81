"""A dataset pipeline that does not load an image whose feature the feature cache holds.

With the feature cache on, the model reads the frozen CLIP features of a deterministic pipeline's
inputs from :class:`ImageFeatureCache`; the image itself is then never used, yet the data loader
would still read, decode and transform it (ImageNet's 50,000 test JPEGs, for every method and
seed). :class:`CacheHitPipeline` wraps a dataset's pipeline and looks the sample up first, with
the key the model will look up (:meth:`ImageFeatureCache.entry_key` of the same encoder, file,
pipeline and precision): on a hit it skips the pipeline and returns what the pipeline would
have returned, except that the input is a zero tensor of the input's shape (a stand-in the
collate and the data preprocessor accept) and the data sample carries the feature
(``cached_image_feat``) and the key it was found under (metainfo ``feature_cache_key``). The
model uses that feature and never encodes or trusts the stand-in
(``BasePromptClassifier.cached_image_feats``).

What the skipped transforms would have added to the data sample (``ori_shape``, ``img_shape``,
``scale_factor``...) is stored with the feature when the model computes it (``metas`` of
:meth:`ImageFeatureCache.put`); what the dataset gives (``img_path``, ``gt_label``,
``sample_idx``) comes from the sample's data info as always. So only pipelines whose every
transform but the last loads or resizes/crops the image, and whose last packs it with
mmpretrain's ``PackInputs`` and nothing else, are skipped (:func:`skip_refusal`): a transform
that adds anything else (a foreground mask, FVG-PT's foreground view) makes the wrapper run the
pipeline on every sample.

The wrapper holds strings only and opens the cache folder in the process it runs in, so it works
in data loader workers (``num_workers > 0``), which read the on-disk index.
"""
from typing import Any, Optional

import numpy as np
from mmpretrain.datasets.transforms import PackInputs

from .image_feature_cache import ImageFeatureCache

#: Metainfo of a data sample whose image was not loaded: the cache key its feature was found under.
STAND_IN_KEY = 'feature_cache_key'
#: Data field of such a sample: the feature the data loader read from the cache.
CARRIED_FEAT = 'cached_image_feat'

#: Transforms that only load the image or resize / crop it deterministically, by the last part
#: of their type name: what they add to the results is ``img`` and the shape keys packed into
#: the metainfo, which the cache stores with the feature.
IMAGE_ONLY_TRANSFORMS = frozenset({
    'LoadImageFromFile', 'Resize', 'ResizeEdge', 'CenterCrop', 'PairedResize', 'PairedResizeEdge',
    'PairedCenterCrop'
})


def skip_refusal(pipeline: Any) -> Optional[str]:
    """Why loading cannot be skipped for ``pipeline`` (a ``Compose``), or None when it can.

    It can when every transform but the last is in :data:`IMAGE_ONLY_TRANSFORMS` (an image
    loader without ``to_float32``: the stand-in is uint8 as the decoded image) and the last is
    ``PackInputs`` of ``img`` with no ``algorithm_keys``.
    """
    transforms = list(getattr(pipeline, 'transforms', None) or [])
    if not transforms:
        return 'the dataset has no pipeline of transforms'
    *loading, packer = transforms
    for transform in loading:
        name = type(transform).__name__
        if name not in IMAGE_ONLY_TRANSFORMS:
            return f'{name} adds more than the image'
        if getattr(transform, 'to_float32', False):
            return f'{name} makes float32 images (to_float32=True)'
    if not isinstance(packer, PackInputs) or packer.input_key != 'img' or packer.algorithm_keys:
        return (f'the last transform, {type(packer).__name__}, is not PackInputs of "img" '
                'without algorithm_keys')
    return None


def sample_meta(metainfo: dict, input_shape) -> Optional[dict]:
    """What :class:`CacheHitPipeline` needs to rebuild a sample: its metainfo (the stand-in key
    left out) and the packed input's shape ``(C, H, W)``; None when the shape is not the
    pipeline's ``img_shape`` (the data preprocessor resized or padded: no stand-in is made)."""
    shape = [int(s) for s in input_shape]
    img_shape = metainfo.get('img_shape')
    if len(shape) != 3 or img_shape is None or list(img_shape)[:2] != shape[1:]:
        return None
    kept = {k: v for k, v in metainfo.items() if k != STAND_IN_KEY}
    return dict(metainfo=kept, input_shape=shape)


class CacheHitPipeline:
    """Wraps a dataset's pipeline: samples whose feature the cache holds are not loaded.

    Args:
        pipeline: the dataset's pipeline (a ``Compose``); :func:`skip_refusal` must accept it.
        cache_dir (str): the :class:`ImageFeatureCache` folder.
        encoder (str): the encoder's identity, as the model keys its features.
        pipeline_key (str): the pipeline config's key (``fvgpt.datasets.pipeline_identity``).
        precision (str): the precision the model encodes in, as the model keys its features.
    """

    def __init__(self, pipeline: Any, cache_dir: str, encoder: str, pipeline_key: str,
                 precision: str):
        refusal = skip_refusal(pipeline)
        if refusal is not None:
            raise ValueError(f'CacheHitPipeline cannot skip this pipeline: {refusal}.')
        self.pipeline = pipeline
        self.cache_dir = cache_dir
        self.encoder = encoder
        self.pipeline_key = pipeline_key
        self.precision = precision
        #: Samples returned without loading their image, in this process.
        self.skipped = 0

    @property
    def transforms(self):
        """The wrapped pipeline's transforms (code that inspects ``dataset.pipeline`` sees
        them)."""
        return self.pipeline.transforms

    def __call__(self, results: dict) -> Any:
        path = results.get('img_path')
        key = ImageFeatureCache.entry_key(self.encoder, self.pipeline_key, self.precision,
                                          path) if path else None
        # one object per folder and process: a worker opens its own and reads the index
        entry = ImageFeatureCache.shared(self.cache_dir).entries([key])[0] if key else None
        if entry is None or not isinstance(entry[1], dict):
            return self.pipeline(results)
        feat, meta = entry
        channels, height, width = meta['input_shape']
        results = dict(results)
        for name, value in meta['metainfo'].items():
            results.setdefault(name, value)  # what the data info gives wins (img_path, label)
        results['img'] = np.zeros((height, width, channels), dtype=np.uint8)
        packed = self.pipeline.transforms[-1](results)
        packed['data_samples'].set_field(key, STAND_IN_KEY, field_type='metainfo')
        packed['data_samples'].set_field(feat, CARRIED_FEAT)
        self.skipped += 1
        return packed

    def __repr__(self) -> str:
        return f'CacheHitPipeline(cache_dir={self.cache_dir!r}, pipeline={self.pipeline!r})'
