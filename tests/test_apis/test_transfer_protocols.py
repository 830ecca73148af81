"""Domain generalization, cross-dataset and few-shot protocols on fake CoOp trees, tiny CLIP."""
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from open_clip.constants import OPENAI_DATASET_MEAN

from fvgpt.apis import B2NProtocol, FewShotProtocol, TransferProtocol, build_protocol
from fvgpt.datasets.coop_meta import get_coop_meta
from fvgpt.registry import DATASETS
from fvgpt.testing import REPO, TINY_CLIP_NAME
from fvgpt.testing.fake_coop_tree import make_tree
from fvgpt.utils.json_tensor import decode_json_tensor

# the tiny CLIP sees 32 px: the shipped pipelines' steps at that size
LOAD = dict(
    type='LoadImageFromFile', imdecode_backend='pillow', color_type='color_ignore_orientation')
TEST_32 = [
    LOAD,
    dict(
        type='PairedResizeEdge', scale=32, edge='short', interpolation='bicubic', backend='pillow'),
    dict(type='PairedCenterCrop', crop_size=32),
    dict(type='mmpretrain.PackInputs')
]
# the image (and its mask) to the tiny CLIP's 32 px
RESIZE_32 = dict(
    type='PairedResize',
    scale=(32, 32),
    keep_ratio=False,
    interpolation='bicubic',
    backend='pillow')
TRAIN_32 = [LOAD, RESIZE_32, dict(type='mmpretrain.PackInputs')]
TINY = {
    'model.clip.model_name': TINY_CLIP_NAME,
    'model.clip.pretrained': None,
    'test_dataloader.dataset.pipeline': TEST_32,
    'test_dataloader.num_workers': 0,
    'test_dataloader.persistent_workers': False,
    'log_level': 'WARNING'
}
ONE_EPOCH = {
    **TINY, 'train_cfg.max_epochs': 1,
    'train_cfg.val_interval': 5,
    'param_scheduler.0.T_max': 1,
    'train_dataloader.num_workers': 0,
    'train_dataloader.persistent_workers': False,
    'val_dataloader.num_workers': 0,
    'val_dataloader.persistent_workers': False,
    'train_dataloader.dataset.pipeline': TRAIN_32,
    'val_dataloader.dataset.pipeline': TEST_32
}
DG_TARGETS = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']


def methods():
    return [
        dict(
            name='zsclip',
            config=f'{REPO}/configs/zsclip/zsclip_b2n_{{dataset}}.py',
            train=False,
            seeded=False,
            cfg_options=TINY),
        dict(
            name='coop',
            config=f'{REPO}/configs/coop/coop_b2n_{{dataset}}.py',
            cfg_options=ONE_EPOCH),
    ]


@pytest.fixture(scope='module')
def fake_data(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('data'))
    for name in ['imagenet', *DG_TARGETS, 'dtd', 'eurosat']:
        make_tree(root, name)
    return root


def test_domain_generalization_trains_once_and_tests_every_target(fake_data, tmp_path, monkeypatch):
    cfg = Config(
        dict(
            kind='dg',
            source='imagenet',
            targets=DG_TARGETS,
            seeds=[1, 2],
            methods=methods(),
            work_dir=str(tmp_path / 'dg')))
    runner = build_protocol(cfg, data_root=fake_data, log=lambda s: None)
    assert isinstance(runner, TransferProtocol)
    rows = runner.run()
    for seed in (1, 2):
        run = tmp_path / 'dg' / 'coop' / 'imagenet' / f'seed{seed}'
        assert osp.isfile(json.load(open(run / 'train_done.json'))['checkpoint'])
        for name in ['imagenet', *DG_TARGETS]:
            assert 0 <= json.load(open(run / f'test_{name}.json'))['accuracy'] <= 100
    # zero-shot: one unseeded run, nothing trained
    zs = tmp_path / 'dg' / 'zsclip' / 'imagenet'
    assert not (zs / 'seed1' / 'train_done.json').exists() and not (zs / 'seed2').exists()
    # the row: mean over seeds of each dataset, average = mean of the 4 targets
    row = rows['coop']
    for name in ['imagenet', *DG_TARGETS]:
        per_seed = [
            json.load(
                open(tmp_path / 'dg' / 'coop' / 'imagenet' / f'seed{s}' /
                     f'test_{name}.json'))['accuracy'] for s in (1, 2)
        ]
        assert row[name] == pytest.approx(np.mean(per_seed))
    assert row['average'] == pytest.approx(np.mean([row[t] for t in DG_TARGETS]))
    text = (tmp_path / 'dg' / 'dg_results.md').read_text()
    assert 'Domain generalization' in text and 'average' in text
    assert all(name in text for name in DG_TARGETS)
    # a second call finds everything done and runs nothing
    monkeypatch.setattr('fvgpt.apis.protocol.Runner.from_cfg',
                        lambda cfg: pytest.fail('a finished step ran again'))
    assert build_protocol(cfg, data_root=fake_data, log=lambda s: None).run() == rows


def test_transfer_tests_all_classes_of_the_target_with_the_source_model(fake_data, tmp_path):
    cfg = Config(
        dict(
            kind='xd',
            source='imagenet',
            targets=['dtd', 'eurosat'],
            seeds=[1],
            methods=methods(),
            work_dir=str(tmp_path / 'xd')))
    runner = build_protocol(cfg, data_root=fake_data, log=lambda s: None)
    stage = runner.stage_cfg(runner.protocol.methods[1], 'imagenet', 1, str(tmp_path / 'w'))
    # trained on all classes of the source (not its base half), the config's 16 shots
    assert stage.train_dataloader.dataset.subsample == 'all'
    assert stage.train_dataloader.dataset.num_shots == 16
    rows = runner.run()
    for name in ('dtd', 'eurosat'):
        result = json.load(
            open(tmp_path / 'xd' / 'coop' / 'imagenet' / 'seed1' / f'test_{name}.json'))
        assert result['dataset'] == name
    assert rows['coop']['average'] == pytest.approx(
        (rows['coop']['dtd'] + rows['coop']['eurosat']) / 2)
    assert 'Cross-dataset' in (tmp_path / 'xd' / 'xd_results.md').read_text()


def test_few_shot_trains_k_shots_of_all_classes(fake_data, tmp_path):
    cfg = Config(
        dict(
            kind='fewshot',
            datasets=['dtd'],
            shots=[1, 2],
            seeds=[1],
            methods=methods()[1:],
            work_dir=str(tmp_path / 'fs')))
    runner = build_protocol(cfg, data_root=fake_data, log=lambda s: None)
    assert isinstance(runner, FewShotProtocol)
    runner.shots = 2
    stage = runner.stage_cfg(runner.protocol.methods[0], 'dtd', 1, str(tmp_path / 'w'))
    train = DATASETS.build(stage.train_dataloader.dataset)
    labels = [train.get_data_info(i)['gt_label'] for i in range(len(train))]
    # every class of the fake DTD (5), 2 shots each (Dassl's draw)
    assert sorted(set(labels)) == list(range(5)) and len(labels) == 10
    assert stage.test_dataloader.dataset.subsample == 'all'
    tables = runner.run()
    for shots in (1, 2):
        path = tmp_path / 'fs' / 'coop' / 'dtd' / f'{shots}shot' / 'seed1' / 'test_all.json'
        assert tables['coop']['dtd'][shots] == json.load(open(path))['accuracy']
    assert tables['coop']['average'][2] == tables['coop']['dtd'][2]
    assert '2-shot' in (tmp_path / 'fs' / 'fewshot_results.md').read_text()


def test_unknown_kind_and_missing_fields_are_named():
    with pytest.raises(ValueError, match='Unknown protocol kind "dgx"'):
        build_protocol(Config(dict(kind='dgx')))
    with pytest.raises(KeyError, match='source, targets'):
        build_protocol(Config(dict(kind='dg', seeds=[1], methods=[], work_dir='w')))
    with pytest.raises(KeyError, match='Unknown CoOp dataset "imagenet_b"'):
        build_protocol(
            Config(
                dict(
                    kind='dg',
                    source='imagenet',
                    targets=['imagenet_b'],
                    seeds=[1],
                    methods=[],
                    work_dir='w')))
    assert type(build_protocol(Config(dict(datasets=[], seeds=[1], methods=[],
                                           work_dir='w')))) is B2NProtocol


@pytest.mark.parametrize('name', ['dg_coop.py', 'xd_coop.py', 'fewshot_coop.py'])
def test_shipped_protocols_resolve_every_method_and_dataset(name, tmp_path):
    protocol = Config.fromfile(osp.join(REPO, 'configs', 'protocols', name))
    protocol.work_dir = str(tmp_path / 'protocol')
    runner = build_protocol(protocol)
    runner.shots = protocol.get('shots', [None])[0]
    datasets = ([protocol.source] if protocol.kind != 'fewshot' else protocol.datasets)
    for method in protocol.methods:
        for dataset in datasets:
            if method.get('stage1'):  # FVG-PT: stage 1 of the same dataset and seed is done
                stage1 = runner.run_dir(method['stage1'], dataset, 1)
                os.makedirs(stage1, exist_ok=True)
                with open(osp.join(stage1, 'train_done.json'), 'w') as f:
                    json.dump(dict(checkpoint=osp.join(stage1, 'epoch_10.pth')), f)
            cfg = runner.stage_cfg(method, dataset, 1, str(tmp_path))
            if method.get('stage1'):
                assert cfg.model.backbone_ckpt == osp.join(stage1, 'epoch_10.pth')
            if method.get('train', True):
                assert cfg.train_dataloader.dataset.subsample == 'all'
            assert DATASETS.get(cfg.test_dataloader.dataset.type) is not None
    for target in protocol.get('targets', []):
        assert DATASETS.get(get_coop_meta(target).fvgpt_class) is not None


FG_MEAN = [m * 255 for m in OPENAI_DATASET_MEAN]  # CLIP's mean, the masked view's fill
# FVG-PT's stage-2 pipeline of the shipped configs at 32 px: image and mask resized together,
# the foreground view composed after them
FVGPT_TRAIN_32 = [
    LOAD,
    dict(type='LoadForegroundMask'), RESIZE_32,
    dict(type='ForegroundView', mode='masked', mean=FG_MEAN, to_rgb=True),
    dict(type='mmpretrain.PackInputs', algorithm_keys=('img_fg', 'gt_fg_mask', 'fg_mask_valid'))
]


def test_fvgpt_trains_on_all_classes_in_the_few_shot_protocol(tmp_path):
    """FVG-PT's stage 2 trains on every class when the protocol does, on its stage 1's
    checkpoint of the same shots and seed, and scores those classes with the base branch."""
    root = str(tmp_path / 'data')
    make_tree(root, 'dtd', masks=True)
    fvgpt_opts = {
        **ONE_EPOCH, 'model.backbone.clip.model_name': TINY_CLIP_NAME,
        'model.backbone.clip.pretrained': None,
        'train_dataloader.dataset.pipeline': FVGPT_TRAIN_32
    }
    for key in ('model.clip.model_name', 'model.clip.pretrained'):
        fvgpt_opts.pop(key)
    fvgpt = dict(
        name='fvgpt',
        config=f'{REPO}/configs/fvgpt/coop_b2n_{{dataset}}.py',
        stage1='coop',
        stage1_key='model.backbone_ckpt',
        cfg_options=fvgpt_opts)
    cfg = Config(
        dict(
            kind='fewshot',
            datasets=['dtd'],
            shots=[2],
            seeds=[1],
            work_dir=str(tmp_path / 'fs'),
            methods=[methods()[1], fvgpt]))
    runner = build_protocol(cfg, data_root=root, log=lambda s: None)
    tables = runner.run()
    run = tmp_path / 'fs' / 'fvgpt' / 'dtd' / '2shot' / 'seed1'
    done = json.load(open(run / 'train_done.json'))
    stage1 = json.load(
        open(tmp_path / 'fs' / 'coop' / 'dtd' / '2shot' / 'seed1' /
             'train_done.json'))['checkpoint']
    assert osp.isfile(done['checkpoint']) and '2shot' in stage1
    assert 0 <= tables['fvgpt']['dtd'][2] <= 100
    # the FVG-PT checkpoint knows all 5 classes as its base classes: testing on them scored z_fdc
    state = torch.load(done['checkpoint'], weights_only=True)['state_dict']
    extra = decode_json_tensor(state['_extra_state'])
    assert len(extra['base_classnames']) == 5


def authors_cd_fuses(dataset: str) -> bool:
    """The authors' MMRL under TASK "CD" (JREion/FVG-PT trainers/mmrl.py, ``test``): the fused
    logits ``if dataset == "ImageNet"`` (Dassl's ``DATASET.NAME``), the class-token logits on
    any other dataset."""
    return get_coop_meta(dataset).coop_class == 'ImageNet'


@pytest.mark.parametrize('name', ['dg_mmrl_fvgpt.py', 'xd_mmrl_fvgpt.py'])
def test_shipped_mmrl_transfer_protocols_fuse_on_the_source_only(name, tmp_path):
    protocol = Config.fromfile(osp.join(REPO, 'configs', 'protocols', name))
    protocol.work_dir = str(tmp_path / 'protocol')
    runner = build_protocol(protocol)
    mmrl, fvgpt = protocol.methods
    stage1 = runner.run_dir('mmrl', protocol.source, 1)
    os.makedirs(stage1)
    with open(osp.join(stage1, 'train_done.json'), 'w') as f:
        json.dump(dict(checkpoint=osp.join(stage1, 'epoch_5.pth')), f)
    for target in [protocol.source, *protocol.targets]:
        fused = runner.test_cfg(mmrl, 1, target, str(tmp_path)).model.fused_inference
        assert fused == ('always' if authors_cd_fuses(target) else 'never'), target
        # FVG-PT on MMRL scores as it trains (its authors' trainer is not published)
        cfg = runner.test_cfg(fvgpt, 1, target, str(tmp_path))
        assert cfg.model.backbone.fused_inference == 'never'
        assert cfg.test_dataloader.dataset.type == get_coop_meta(target).fvgpt_class


def test_source_and_target_options_reach_the_model_that_scores(fake_data, tmp_path, monkeypatch):
    """MMRL trained on the fake ImageNet and tested on it and on the fake DTD: the logits the
    model scored with are the fusion ``alpha z + (1 - alpha) z_rep`` on the source only."""
    from fvgpt.models.classifiers.mmrl import MMRL
    events = []
    original = MMRL.logits_from_feats

    def spy(self, image_feats, text_feats, split=None, logit_scale=None):
        out = original(self, image_feats, text_feats, split=split, logit_scale=logit_scale)
        if not self.training:
            scale = self.logit_scale if logit_scale is None else logit_scale
            z = scale * image_feats[:, 0] @ text_feats.t()
            z_rep = scale * image_feats[:, 1] @ text_feats.t()
            fusion = self.alpha * z + (1 - self.alpha) * z_rep
            assert not torch.allclose(z, fusion)  # the two rules are told apart
            events.append('fused' if torch.allclose(out, fusion) else 'class token' if torch.
                          equal(out, z) else 'other')
        return out

    monkeypatch.setattr(MMRL, 'logits_from_feats', spy)
    shipped = Config.fromfile(osp.join(REPO, 'configs', 'protocols', 'xd_mmrl_fvgpt.py'))
    mmrl = dict(shipped.methods[0], config=f'{REPO}/{shipped.methods[0]["config"]}')
    mmrl['cfg_options'] = {
        **ONE_EPOCH,
        'train_dataloader.batch_size': 4,
        'model.representation_learner.rep_layers': [1, 2],  # the tiny CLIP's two layers
        'model.representation_learner.rep_dim': 16
    }
    cfg = Config(
        dict(
            kind='xd',
            source='imagenet',
            targets=['dtd'],
            seeds=[1],
            methods=[mmrl],
            work_dir=str(tmp_path / 'xd')))
    runner = build_protocol(cfg, data_root=fake_data, log=lambda line: events.append(line))
    runner.run()
    tested, current = {}, []  # calls before the first test (training) are not scored
    for event in events:
        if event.startswith('[test]'):
            current = tested.setdefault(event.rsplit('-> ', 1)[1], [])
        elif not event.startswith('['):
            current.append(event)
    assert set(tested) == {'imagenet', 'dtd'}
    for dataset, rules in tested.items():
        want = 'fused' if authors_cd_fuses(dataset) else 'class token'
        assert rules and set(rules) == {want}, dataset


def test_per_dataset_test_options_are_refused_outside_transfer(tmp_path):
    method = dict(name='mmrl', config='c.py', source_cfg_options={'model.fused_inference': 'x'})
    with pytest.raises(ValueError, match='only the dg and xd protocols read'):
        build_protocol(
            Config(dict(datasets=['dtd'], seeds=[1], methods=[method], work_dir=str(tmp_path))))
