"""The protocol runner on a tiny toy world: zero-shot, CoOp, FVG-PT; resumes; aggregates."""
import json
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.apis import B2NProtocol
from fvgpt.toyworld import ToyWorldConfig, write_toyworld

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# random ToyCLIP weights: the runner's bookkeeping is under test, not accuracy
RANDOM_CLIP = {'model.clip.pretrained': None}
ONE_EPOCH = {
    'train_cfg.max_epochs': 1,
    'param_scheduler': [],
    'train_cfg.val_interval': 5,
    'train_dataloader.num_workers': 0,
    'log_level': 'WARNING'
}


@pytest.fixture(scope='module')
def tiny_world(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('data'))
    write_toyworld(
        root,
        ToyWorldConfig(
            colours=('red', 'blue'),
            shapes=('circle', 'square'),
            num_train=4,
            num_val=2,
            num_test=2),
        progress=False)
    return root


def protocol(work_dir):
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
                    cfg_options=RANDOM_CLIP),
                dict(
                    name='coop',
                    config=f'{REPO}/configs/coop/coop_b2n_{{dataset}}.py',
                    cfg_options={
                        **RANDOM_CLIP,
                        **ONE_EPOCH
                    }),
                dict(
                    name='fvgpt',
                    config=f'{REPO}/configs/fvgpt/coop_b2n_{{dataset}}.py',
                    stage1='coop',
                    stage1_key='model.backbone_ckpt',
                    cfg_options={
                        'model.backbone.clip.pretrained': None,
                        **ONE_EPOCH
                    }),
            ]))


def test_runs_every_stage_resumes_and_aggregates(tiny_world, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # configs name checkpoints relative to the repository
    runner = B2NProtocol(protocol(tmp_path / 'b2n'), data_root=tiny_world, log=lambda s: None)
    tables = runner.run()
    for seed in (1, 2):
        run = tmp_path / 'b2n' / 'fvgpt' / 'toyworld' / f'seed{seed}'
        done = json.load(open(run / 'train_done.json'))
        assert osp.isfile(done['checkpoint'])
        # stage 2 was given stage 1's checkpoint of the same seed
        stage1 = json.load(
            open(tmp_path / 'b2n' / 'coop' / 'toyworld' / f'seed{seed}' /
                 'train_done.json'))['checkpoint']
        assert f'seed{seed}' in stage1
        for split in ('base', 'new'):
            result = json.load(open(run / f'test_{split}.json'))
            assert 0 <= result['accuracy'] <= 100
    # zero-shot CLIP is not seeded: one run
    assert not (tmp_path / 'b2n' / 'zsclip' / 'toyworld' / 'seed2').exists()
    assert tables['coop']['toyworld']['seeds'] == [1, 2]
    assert tables['zsclip']['toyworld']['seeds'] == [1]
    assert set(tables) == {'zsclip', 'coop', 'fvgpt'}
    assert osp.isfile(tmp_path / 'b2n' / 'b2n_results.md')

    # a second call finds everything done and runs nothing
    lines = []
    again = B2NProtocol(protocol(tmp_path / 'b2n'), data_root=tiny_world, log=lines.append)
    monkeypatch.setattr('fvgpt.apis.protocol.Runner.from_cfg',
                        lambda cfg: pytest.fail('a finished step ran again'))
    assert again.run() == tables
    assert all(line.startswith('[skip]') for line in lines)


def test_stage1_must_come_first(tmp_path):
    cfg = protocol(tmp_path)
    cfg.methods = cfg.methods[::-1]
    with pytest.raises(ValueError, match='needs stage 1 "coop"'):
        B2NProtocol(cfg)
