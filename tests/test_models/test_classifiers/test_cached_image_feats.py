"""The feature cache inside the models: the same logits with and without it, misses only where
the encoder, the image file or the pipeline changed, and only for CLIP's own image encoder."""
import copy

import pytest
import torch
from mmpretrain.structures import DataSample

from fvgpt.models.fvgpt import FVGPT
from fvgpt.models.utils import ImageFeatureCache
from fvgpt.registry import MODELS
from fvgpt.testing.fvgpt_helpers import make_batch
from fvgpt.testing.models import tiny_clip_cfg, tiny_coop_cfg

CLASSES = ['red circle', 'green square', 'blue star']


def coop(seed=0):
    torch.manual_seed(seed)
    model = MODELS.build(tiny_coop_cfg())
    model.set_class_list(CLASSES)
    return model.eval()


def images_and_samples(tmp_path, num=4, start=0):
    """Normalized inputs and DataSamples naming one file each (the cache keys the file)."""
    torch.manual_seed(100 + start)
    inputs = torch.randn(num, 3, 32, 32)
    samples = []
    for i in range(start, start + num):
        path = tmp_path / f'img{i}.png'
        if not path.exists():
            path.write_bytes(b'image %d' % i)
        samples.append(DataSample(metainfo=dict(img_path=str(path))))
    return inputs, samples


def test_logits_equal_and_hits_skip_the_encoder(tmp_path):
    model = coop()
    inputs, samples = images_and_samples(tmp_path)
    reference = model.logits(inputs)  # no cache
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    model.use_feature_cache(cache, 'pipeline-key')
    passes = model.clip.image_passes
    first = model.logits(inputs, samples)  # misses: computed and stored
    assert model.clip.image_passes == passes + 4 and cache.misses == 4
    second = model.logits(inputs, samples)  # hits: no encoder pass
    assert model.clip.image_passes == passes + 4 and cache.hits == 4
    assert torch.equal(first, reference) and torch.equal(second, reference)
    # a new object on the same folder (the next run) serves them from disk
    other = coop()
    other.use_feature_cache(ImageFeatureCache(str(tmp_path / 'cache')), 'pipeline-key')
    before = other.clip.image_passes
    assert torch.equal(other.logits(inputs, samples), reference)
    assert other.clip.image_passes == before


def test_a_batch_with_some_hits_encodes_only_the_misses(tmp_path):
    model = coop()
    inputs, samples = images_and_samples(tmp_path)
    reference = model.predict(inputs)
    model.use_feature_cache(ImageFeatureCache(str(tmp_path / 'cache')), 'p')
    model.logits(inputs[:2], samples[:2])
    passes = model.clip.image_passes
    out = model.predict(inputs, samples)
    assert model.clip.image_passes == passes + 2
    for a, b in zip(out, reference):
        assert torch.allclose(a.pred_score, b.pred_score, atol=1e-6)
        assert a.pred_label == b.pred_label


def test_changed_weights_image_or_pipeline_never_read_a_stale_feature(tmp_path):
    inputs, samples = images_and_samples(tmp_path)
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    model = coop(seed=0)
    model.use_feature_cache(cache, 'p')
    model.logits(inputs, samples)
    # other CLIP weights (same architecture): every feature is recomputed with them
    retrained = coop(seed=1)
    assert retrained.clip.weights_sha256 != model.clip.weights_sha256
    retrained.use_feature_cache(cache, 'p')
    passes = retrained.clip.image_passes
    assert torch.equal(retrained.logits(inputs, samples), retrained.logits(inputs))
    assert retrained.clip.image_passes == passes + 4 + 4  # cached pass + the uncached reference
    # one image file rewritten: that one is recomputed, from the new input
    new_inputs = inputs.clone()
    new_inputs[1] = torch.randn(3, 32, 32)
    with open(samples[1].img_path, 'wb') as f:
        f.write(b'another picture')
    passes = model.clip.image_passes
    assert torch.allclose(model.logits(new_inputs, samples), model.logits(new_inputs), atol=1e-6)
    assert model.clip.image_passes == passes + 1 + 4
    # another pipeline: all recomputed
    model.use_feature_cache(cache, 'other-pipeline')
    passes = model.clip.image_passes
    model.logits(inputs, samples)
    assert model.clip.image_passes == passes + 4
    # other input normalization is another encoder input: recomputed
    shifted = coop(seed=0)
    shifted.data_preprocessor.mean.add_(1.0)
    shifted.use_feature_cache(cache, 'p')
    passes = shifted.clip.image_passes
    shifted.logits(inputs, samples)
    assert shifted.clip.image_passes == passes + 4


def test_mixed_precision_features_are_other_entries_in_their_dtype(tmp_path):
    model = coop()
    inputs, samples = images_and_samples(tmp_path)
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    model.use_feature_cache(cache, 'p')
    model.cached_image_feats(inputs, samples)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        passes = model.clip.image_passes
        amp = model.cached_image_feats(inputs, samples)
        assert model.clip.image_passes == passes + 4  # not the fp32 entries
        again = model.cached_image_feats(inputs, samples)
    assert again.dtype == amp.dtype and torch.equal(again, amp)


def tiny_ivlp():
    torch.manual_seed(0)  # the CLIP weights of coop(): one encoder for the cache
    model = MODELS.build(
        dict(
            type='IVLP',
            clip=tiny_clip_cfg(),
            prompt_learner=dict(
                type='IVLPPromptLearner',
                n_ctx_text=2,
                n_ctx_vision=2,
                depth_text=1,
                depth_vision=1,
                ctx_init='a photo of a')))
    model.set_class_list(CLASSES)
    return model.eval()


def test_prompted_image_encoders_are_never_cached(tmp_path):
    ivlp = tiny_ivlp()
    inputs, samples = images_and_samples(tmp_path)
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    ivlp.use_feature_cache(cache, 'p')
    assert ivlp.feature_cache is None and ivlp.feature_cache_lookup() is None
    reference = ivlp.logits(inputs)
    passes = ivlp.clip.image_passes
    assert torch.equal(ivlp.logits(inputs, samples), reference)
    assert ivlp.clip.image_passes == passes + 4 and len(cache) == 0


def test_fvgpt_on_a_prompted_backbone_reads_z_clip_from_the_cache(tmp_path):
    # FVG-PT's new branch on IVLP: the prompted pass always runs, the prompt-free CLIP pass
    # (z_clip) is the cache's, under the keys of a CLIP-encoder backbone on the same CLIP
    torch.manual_seed(0)
    model = FVGPT(backbone=tiny_ivlp()).eval()
    model.set_class_list(CLASSES, subsample='new')
    inputs, samples = images_and_samples(tmp_path)
    reference = model.branch_outputs(inputs, 'new')
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    plain = coop()  # zero-shot / CoOp on the same CLIP stores the features first
    assert plain.feature_cache_encoder() == model.backbone.feature_cache_encoder()
    plain.use_feature_cache(cache, 'p')
    plain.logits(inputs, samples)
    model.use_feature_cache(cache, 'p')
    assert model.feature_cache is None  # the prompted features are not cached: no skip
    clip = model.backbone.clip
    passes, hits = clip.image_passes, cache.hits
    cached = model.branch_outputs(inputs, 'new', copy.deepcopy(samples))
    assert clip.image_passes == passes + 4 and cache.hits == hits + 4  # the prompted pass only
    for name in reference:
        assert torch.equal(cached[name], reference[name]), name
    # with an empty cache: computed, stored, then read
    fresh = ImageFeatureCache(str(tmp_path / 'fresh'))
    model.use_feature_cache(fresh, 'p')
    first = model.branch_outputs(inputs, 'new', copy.deepcopy(samples))
    assert clip.image_passes == passes + 4 + 8 and fresh.misses == 4
    second = model.branch_outputs(inputs, 'new', copy.deepcopy(samples))
    assert clip.image_passes == passes + 4 + 8 + 4 and fresh.hits == 4
    for name in reference:
        assert torch.equal(first[name], reference[name]), name
        assert torch.equal(second[name], reference[name]), name


def fvgpt_model():
    torch.manual_seed(0)
    return FVGPT(backbone=coop()).eval()


def test_fvgpt_predictions_and_loss_equal_with_the_cache(tmp_path):
    model = fvgpt_model()
    inputs, samples = images_and_samples(tmp_path)
    model.set_class_list(CLASSES, subsample='new')
    reference = model.predict(inputs)
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    model.use_feature_cache(cache, 'p')
    assert model.feature_cache is cache
    model.predict(inputs, copy.deepcopy(samples))
    passes = model.backbone.clip.image_passes
    cached = model.predict(inputs, copy.deepcopy(samples))
    assert model.backbone.clip.image_passes == passes  # x from the cache
    for a, b in zip(cached, reference):
        assert torch.equal(a.pred_score, b.pred_score) and a.pred_label == b.pred_label
    # training: x from the cache, the foreground view x_fg always computed
    model.set_class_list(CLASSES, subsample='base')
    model.base_classnames = list(CLASSES)
    batch = model.data_preprocessor(make_batch(num=4, size=32, seed=3), True)
    for sample, named in zip(batch['data_samples'], samples):
        sample.set_metainfo(dict(img_path=named.img_path))
    model.train()
    model.use_feature_cache(None)
    plain = model.loss(**batch)
    model.use_feature_cache(cache, 'train-p')
    model.loss(**batch)
    passes = model.backbone.clip.image_passes
    cached = model.loss(**batch)
    assert model.backbone.clip.image_passes == passes + 4  # x_fg only
    for key in plain:
        assert torch.allclose(plain[key], cached[key], atol=1e-5), key


@pytest.mark.parametrize('samples', [None, 'no_path'])
def test_without_image_paths_nothing_is_cached(tmp_path, samples):
    model = coop()
    inputs, named = images_and_samples(tmp_path)
    if samples == 'no_path':
        samples = [DataSample() for _ in named]
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    model.use_feature_cache(cache, 'p')
    model.logits(inputs, samples)
    model.logits(inputs, samples)
    assert cache.hits == 0 and len(cache) == 0
