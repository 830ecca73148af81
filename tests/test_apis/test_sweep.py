"""The sweep over a config value: swept methods per value, shared stage 1, resume, plot."""
import json
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.apis.sweep import B2NSweep, parse_sweep
from fvgpt.testing import REPO
from fvgpt.testing.toy_protocol import make_protocol_world, toy_b2n_protocol

KEY = 'model.base_head.loss_dist.loss_weight'


def protocol(work_dir):
    return toy_b2n_protocol(work_dir)


def test_parse_sweep():
    assert parse_sweep(f'{KEY}=0,1,5,10,20') == (KEY, [0, 1, 5, 10, 20])
    assert parse_sweep('a=0.5,x,[1,2]') == ('a', [0.5, 'x', [1, 2]])
    with pytest.raises(ValueError, match='KEY=V1,V2'):
        parse_sweep(KEY)
    with pytest.raises(ValueError, match='twice'):
        parse_sweep('a=1,1')


def test_only_methods_with_the_key_are_swept_and_stage_1_is_shared(tmp_path):
    sweep = B2NSweep(protocol(tmp_path), KEY, [0, 10])
    assert sweep.swept == ['fvgpt']
    names = [m['name'] for m in sweep.protocol.methods]
    assert names == ['coop', 'fvgpt@0', 'fvgpt@10']
    assert all(m['stage1'] == 'coop' for m in sweep.protocol.methods[1:])
    assert sweep.protocol.methods[2]['cfg_options'][KEY] == 10
    # a key of stage 1 sweeps stage 1 and every method built on it, value by value
    sweep = B2NSweep(protocol(tmp_path), 'model.prompt_learner.n_ctx', [2, 4])
    assert [m['name'] for m in sweep.protocol.methods] == ['coop@2', 'coop@4', 'fvgpt@2', 'fvgpt@4']
    assert sweep.protocol.methods[3]['stage1'] == 'coop@4'
    with pytest.raises(KeyError, match='No method of the protocol has'):
        B2NSweep(protocol(tmp_path), 'model.no_such_key', [1])


def test_sweep_runs_resumes_skips_done_points_and_plots(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    data = make_protocol_world(str(tmp_path / 'data'))
    logs = []
    out = B2NSweep(protocol(tmp_path / 'b2n'), KEY, [0], data_root=data, log=logs.append).run()
    sweep_dir = tmp_path / 'b2n' / f'sweep_{KEY}'
    # the method runs (and the image feature cache the protocol shares across them)
    assert sorted(p.name for p in sweep_dir.iterdir()
                  if p.is_dir() and p.name != 'feature_cache') == ['coop', 'fvgpt@0']
    assert [line.split(' ')[1] for line in logs
            if line.startswith('[train]')] == ['coop', 'fvgpt@0']

    logs.clear()
    out = B2NSweep(protocol(tmp_path / 'b2n'), KEY, [0, 10], data_root=data, log=logs.append).run()
    assert f'[skip] sweep point {KEY}=0: done' in logs
    # stage 1 is shared: only the new point trains and tests
    assert [line.split(' ')[1] for line in logs if line.startswith('[train]')] == ['fvgpt@10']
    assert [line.split(' ')[1] for line in logs
            if line.startswith('[test]')] == ['fvgpt@10', 'fvgpt@10']
    # the value reached the stage config of its point
    dumped = Config.fromfile(
        str(sweep_dir / 'fvgpt@10' / 'toyworld' / 'seed1' / 'coop_b2n_toyworld.py'))
    assert dumped.model.base_head.loss_dist.loss_weight == 10

    result = json.load(open(sweep_dir / 'sweep_results.json'))
    assert result['key'] == KEY and result['values'] == [0, 10]
    tables = json.load(open(sweep_dir / 'b2n_results.json'))
    for row in result['methods']['fvgpt']:
        run = sweep_dir / f'fvgpt@{row["value"]}' / 'toyworld' / 'seed1'
        base = json.load(open(run / 'test_base.json'))['accuracy']
        new = json.load(open(run / 'test_new.json'))['accuracy']
        assert row['base'] == pytest.approx(base) and row['new'] == pytest.approx(new)
        assert row['hm'] == pytest.approx(tables[f'fvgpt@{row["value"]}']['average']['hm'])
    assert result['shared']['coop']['base'] == tables['coop']['average']['base']
    assert osp.getsize(sweep_dir / 'sweep.png') > 1000
    assert str(sweep_dir / 'sweep.png') in out['paths']

    # --methods: the summary holds the chosen swept methods only; none of them is an error
    logs.clear()
    out = B2NSweep(
        protocol(tmp_path / 'b2n'), KEY, [0, 10], data_root=data,
        log=logs.append).run(methods=['coop', 'fvgpt'])
    assert list(out['methods']) == ['fvgpt'] and not any('[train]' in line for line in logs)
    with pytest.raises(ValueError, match='names none of the methods'):
        B2NSweep(protocol(tmp_path / 'b2n'), KEY, [0], data_root=data).run(methods=['coop'])
