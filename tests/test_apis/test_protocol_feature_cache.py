"""The protocol's shared feature cache on a tiny toy world: the image-encoder passes it runs are
the distinct (encoder, image, pipeline) triples plus the passes no cache can serve (FVG-PT's
random-crop training), the images it loads are those it encodes (a cached feature's image is
not read), and every accuracy is the same without the cache."""
import glob
import json
import os
import os.path as osp

import pytest
from mmcv.transforms import LoadImageFromFile
from mmengine.config import Config

from fvgpt.apis import B2NProtocol
from fvgpt.registry import DATASETS
from fvgpt.testing.toy_protocol import make_protocol_world

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
QUIET = {'log_level': 'WARNING'}
TRAIN = {**QUIET, 'train_dataloader.num_workers': 0, 'param_scheduler': []}
COOP_EPOCHS, FVGPT_EPOCHS = 2, 1


@pytest.fixture(scope='module')
def tiny_world(tmp_path_factory):
    return make_protocol_world(
        str(tmp_path_factory.mktemp('data')), num_train=3, num_val=1, num_test=2)


def protocol(work_dir):
    # one CLIP (the shipped ToyCLIP) for every method: one encoder in the triples
    return Config(
        dict(
            datasets=['toyworld'],
            seeds=[1, 2],
            work_dir=str(work_dir),
            methods=[
                dict(
                    name='zsclip',
                    config=f'{REPO}/configs/zsclip/zsclip_b2n_{{dataset}}.py',
                    train=False,
                    seeded=False,
                    cfg_options=QUIET),
                dict(
                    name='coop',
                    config=f'{REPO}/configs/coop/coop_b2n_{{dataset}}.py',
                    cfg_options={
                        **TRAIN, 'train_cfg.max_epochs': COOP_EPOCHS
                    }),
                dict(
                    name='fvgpt',
                    config=f'{REPO}/configs/fvgpt/coop_b2n_{{dataset}}.py',
                    stage1='coop',
                    stage1_key='model.backbone_ckpt',
                    cfg_options={
                        **TRAIN, 'train_cfg.max_epochs': FVGPT_EPOCHS
                    }),
            ]))


def image_paths(runner, method, seed, loader, subsample):
    cfg = runner.stage_cfg(method, 'toyworld', seed, '/tmp/unused')
    dataset_cfg = cfg[loader].dataset
    dataset_cfg.subsample = subsample
    dataset = DATASETS.build(dataset_cfg)
    return [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]


def test_passes_are_the_distinct_triples_and_results_equal_without_cache(
        tiny_world, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # configs name ToyCLIP's checkpoint relative to the repository
    loads = []  # every image read (all loaders run in this process: num_workers=0)
    load = LoadImageFromFile.transform
    monkeypatch.setattr(LoadImageFromFile, 'transform',
                        lambda self, results: loads.append(1) or load(self, results))
    work_dir = tmp_path / 'b2n'
    runner = B2NProtocol(
        protocol(work_dir),
        data_root=tiny_world,
        log=lambda s: None,
        feature_cache=dict(train=True))
    runner.run()
    zs, coop, fvgpt = runner.protocol.methods
    seeds = runner.protocol.seeds

    # The reference count, from the datasets: every test image (base and new) and every
    # validation image (mmengine validates after the last epoch of each training) is one triple
    # with the test pipeline; every CoOp training image one with its center-crop pipeline;
    # FVG-PT's training (random crop + flip) runs x and x_fg each epoch, uncacheable.
    test_images = [
        p for split in ('base', 'new')
        for p in image_paths(runner, zs, seeds[0], 'test_dataloader', split)
    ]
    val = {s: image_paths(runner, coop, s, 'val_dataloader', 'base') for s in seeds}
    coop_train = {s: image_paths(runner, coop, s, 'train_dataloader', 'base') for s in seeds}
    fvgpt_train = {s: image_paths(runner, fvgpt, s, 'train_dataloader', 'base') for s in seeds}
    distinct_triples = len(set(test_images).union(*val.values())) + len(
        set().union(*coop_train.values()))
    uncacheable = sum(2 * FVGPT_EPOCHS * len(fvgpt_train[s]) for s in seeds)
    test_requests = (1 + 2 * len(seeds)) * len(test_images)  # zero-shot once, CoOp, FVG-PT
    train_requests = sum(COOP_EPOCHS * len(coop_train[s]) for s in seeds) + \
        sum(2 * len(val[s]) for s in seeds)  # CoOp's and FVG-PT's validation
    assert runner.encoder_passes['run'] == distinct_triples + uncacheable
    # each distinct triple's image is read once, when its feature is computed; FVG-PT's
    # training reads its image once per epoch for both views
    assert len(loads) == distinct_triples + sum(FVGPT_EPOCHS * len(fvgpt_train[s]) for s in seeds)
    assert runner.encoder_passes['reused'] == test_requests + train_requests - distinct_triples
    assert 'Image-encoder passes: %d run, %d reused' % (
        runner.encoder_passes['run'], runner.encoder_passes['reused']) in runner.format_tables(
            runner.collect(['toyworld'], ['zsclip', 'coop', 'fvgpt']))

    # The same tests of seed 1 without the cache (trained checkpoints kept): the same results.
    results = sorted(glob.glob(str(work_dir / '*' / 'toyworld' / 'seed1' / 'test_*.json')))
    assert len(results) == 2 * 3
    cached = {p: json.load(open(p))['metrics'] for p in results}
    for p in results:
        os.remove(p)
    plain_protocol = protocol(work_dir)
    plain_protocol.seeds = [1]
    loads.clear()
    plain = B2NProtocol(
        plain_protocol,
        data_root=tiny_world,
        log=lambda s: None,
        feature_cache=dict(train=False, test=False))
    plain.run()
    assert plain.encoder_passes == dict(run=3 * len(test_images), reused=0)
    assert len(loads) == 3 * len(test_images)
    for p in results:
        assert json.load(open(p))['metrics'] == cached[p], p
