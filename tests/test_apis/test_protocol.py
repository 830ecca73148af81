"""The protocol runner on a tiny toy world: zero-shot, CoOp, FVG-PT; resumes; aggregates."""
import json
import os.path as osp

import pytest

from fvgpt.apis import B2NProtocol
from fvgpt.testing import REPO
from fvgpt.testing.toy_protocol import make_protocol_world, toy_b2n_protocol


@pytest.fixture(scope='module')
def tiny_world(tmp_path_factory):
    return make_protocol_world(str(tmp_path_factory.mktemp('data')))


def protocol(work_dir):
    return toy_b2n_protocol(work_dir, seeds=[1, 2], zero_shot=True)


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
