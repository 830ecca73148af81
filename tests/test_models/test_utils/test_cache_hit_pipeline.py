"""Images whose features are cached are not loaded: the samples the skip makes are those the
pipeline makes (stand-in input aside), predictions are identical, a changed file is loaded and
encoded again, a batch mixes both, and data loader workers skip too."""
import copy
import os
import os.path as osp

import pytest
import torch
from mmcv.transforms import LoadImageFromFile
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from torch.utils.data import DataLoader

from fvgpt.datasets.pipeline_identity import pipeline_identity
from fvgpt.models.utils import CacheHitPipeline, ImageFeatureCache, skip_refusal
from fvgpt.models.utils.cache_hit_pipeline import CARRIED_FEAT, STAND_IN_KEY
from fvgpt.registry import DATASETS, MODELS
from fvgpt.testing.models import tiny_coop_cfg
from fvgpt.testing.toy_protocol import make_protocol_world

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    return make_protocol_world(
        str(tmp_path_factory.mktemp('data')), num_train=1, num_val=1, num_test=3)


def dataset_cfg_of(world):
    """CoOp's toy-world test set (base half), its pipeline at the tiny CLIP's 32 px."""
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'coop', 'coop_b2n_toyworld.py'))
    dataset = copy.deepcopy(cfg.test_dataloader.dataset)
    dataset.data_root = world
    for transform in dataset.pipeline:
        for field in ('scale', 'crop_size'):
            if field in transform:
                transform[field] = 32
    return dataset


@pytest.fixture
def setup(world, tmp_path, monkeypatch):
    """The dataset, a CoOp on the tiny CLIP with a cache on for its pipeline, and a count of
    image loads in this process."""
    dataset_cfg = dataset_cfg_of(world)
    dataset = DATASETS.build(dataset_cfg)
    torch.manual_seed(0)
    model = MODELS.build(tiny_coop_cfg()).eval()
    model.set_class_list(list(dataset.metainfo['classes']))
    cache = ImageFeatureCache(str(tmp_path / 'cache'))
    model.use_feature_cache(cache, pipeline_identity(dataset_cfg.pipeline).key)
    loads = []
    transform = LoadImageFromFile.transform

    def counted(self, results):
        loads.append(results['img_path'])
        return transform(self, results)

    monkeypatch.setattr(LoadImageFromFile, 'transform', counted)
    return dataset, model, cache, loads


def predict(model, dataset, num_workers=0, batch_size=4):
    """Scores of every sample, and the data samples the loader gave."""
    loader = DataLoader(
        dataset, batch_size=batch_size, num_workers=num_workers, collate_fn=pseudo_collate)
    scores, samples = [], []
    with torch.no_grad():
        for batch in loader:
            batch = model.data_preprocessor(batch, False)
            samples += [copy.deepcopy(s) for s in batch['data_samples']]
            scores += [s.pred_score for s in model.predict(batch['inputs'], batch['data_samples'])]
    return torch.stack(scores), samples


def skipping(dataset, model, cache):
    dataset.pipeline = CacheHitPipeline(dataset.pipeline, cache.root, *model.feature_cache_lookup())


def test_hits_are_not_loaded_and_predict_the_same(setup):
    dataset, model, cache, loads = setup
    num = len(dataset)
    assert num >= 6
    reference, _ = predict(model, dataset)  # every feature computed and stored
    assert len(loads) == num and cache.misses == num
    direct = [dataset[i] for i in range(num)]  # what the pipeline makes
    loads.clear()

    skipping(dataset, model, cache)
    passes = model.clip.image_passes
    scores, samples = predict(model, dataset)
    assert loads == []  # no image read, decoded or transformed
    assert model.clip.image_passes == passes  # and nothing encoded
    assert torch.equal(scores, reference)
    assert cache.hits == num
    # what the pipeline would have made, but the input (a uint8 stand-in of its shape)
    for i in range(num):
        hit = dataset[i]
        assert hit['inputs'].dtype == direct[i]['inputs'].dtype == torch.uint8
        assert hit['inputs'].shape == direct[i]['inputs'].shape and not hit['inputs'].any()
        meta = dict(hit['data_samples'].metainfo)
        assert meta.pop(STAND_IN_KEY)
        made = direct[i]['data_samples']
        assert meta == made.metainfo
        assert torch.equal(hit['data_samples'].gt_label, made.gt_label)
        assert set(hit['data_samples'].keys()) - {CARRIED_FEAT} == set(made.keys())
    # the predictions do not carry the feature along
    assert all(CARRIED_FEAT not in s for s in model.predict(*_batch(model, dataset)))


def _batch(model, dataset):
    batch = model.data_preprocessor(pseudo_collate([dataset[0], dataset[1]]), False)
    return batch['inputs'], batch['data_samples']


def test_a_changed_file_is_loaded_and_encoded_in_a_mixed_batch(setup):
    dataset, model, cache, loads = setup
    reference, _ = predict(model, dataset)  # stores every feature
    skipping(dataset, model, cache)
    changed = dataset.get_data_info(1)['img_path']
    with open(changed, 'rb') as f:
        data = f.read()
    with open(changed, 'wb') as f:  # the same pixels rewritten: a new file for the cache
        f.write(data)
    os.utime(changed, ns=(0, 123456789))
    loads.clear()
    passes = model.clip.image_passes
    scores, samples = predict(model, dataset, batch_size=len(dataset))  # one batch, mixed
    assert loads == [changed]
    assert model.clip.image_passes == passes + 1
    assert [STAND_IN_KEY in s.metainfo for s in samples] == [i != 1 for i in range(len(dataset))]
    # the others are the cached features; the changed file, the same pixels, was encoded alone
    # (not in a batch of 4: float rounding may differ in the last bits)
    keep = [i for i in range(len(dataset)) if i != 1]
    assert torch.equal(scores[keep], reference[keep])
    assert torch.allclose(scores[1], reference[1], rtol=0, atol=1e-6)


def test_workers_skip_too(setup):
    dataset, model, cache, _ = setup
    reference, _ = predict(model, dataset)
    skipping(dataset, model, cache)
    scores, samples = predict(model, dataset, num_workers=2)
    # the workers, which read the on-disk index, sent stand-ins with their features
    assert all(STAND_IN_KEY in s.metainfo and CARRIED_FEAT in s for s in samples)
    assert torch.equal(scores, reference)


def test_a_stand_in_is_never_encoded(setup):
    dataset, model, cache, _ = setup
    predict(model, dataset)
    skipping(dataset, model, cache)
    inputs, samples = _batch(model, dataset)
    model.use_feature_cache(None)  # the cache switched off behind the loader's back
    with pytest.raises(RuntimeError, match='stand-in that must not be encoded'):
        model.predict(inputs, samples)
    # another precision than the loader keyed: the model's key has no feature
    inputs, samples = _batch(model, dataset)
    model.use_feature_cache(cache, 'another pipeline')
    with pytest.raises(RuntimeError, match='no feature under the key this model looks up'):
        model.predict(inputs, samples)


def test_only_image_only_pipelines_are_skipped():
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'fvgpt', 'coop_b2n_toyworld.py'))
    assert skip_refusal(Compose(cfg.test_dataloader.dataset.pipeline)) is None
    train = Compose(cfg.train_dataloader.dataset.pipeline)
    assert 'LoadForegroundMask adds more than the image' in skip_refusal(train)
    to_float = [
        dict(cfg.test_dataloader.dataset.pipeline[0], to_float32=True),
        *cfg.test_dataloader.dataset.pipeline[1:]
    ]
    assert 'to_float32' in skip_refusal(Compose(to_float))
    packs_more = [
        *cfg.test_dataloader.dataset.pipeline[:-1],
        dict(type='mmpretrain.PackInputs', algorithm_keys=('img_fg', ))
    ]
    assert 'PackInputs' in skip_refusal(Compose(packs_more))
    with pytest.raises(ValueError, match='LoadForegroundMask'):
        CacheHitPipeline(train, '/tmp/unused', 'e', 'p', 'f')
