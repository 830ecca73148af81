"""Config mistakes through the CLI: a misspelled top-level --cfg-options key, the data root set
in one place, the protocol's stage 2 without its stage 1."""
import os.path as osp

import pytest

from fvgpt.testing import REPO, call_tool


def test_misspelled_top_level_cfg_option_is_rejected(coop_run, tmp_path):
    with pytest.raises(KeyError) as err:
        call_tool('train.py', coop_run['config0'], '--work-dir', str(tmp_path / 'w'),
                  '--cfg-options', 'randomnes.seed=5')
    assert 'unknown top-level key(s) randomnes' in str(err.value)
    assert 'Known keys of this config: ' in str(err.value) and 'randomness' in str(err.value)
    assert not osp.exists(str(tmp_path / 'w' / 'epoch_1.pth'))


def test_data_root_is_set_in_one_place(coop_run, toy_data_root, tmp_path):
    wrong = str(tmp_path / 'nowhere')
    for option in (['--data-root', wrong], ['--cfg-options', f'data_root={wrong}']):
        with pytest.raises(FileNotFoundError) as err:
            call_tool('test.py', coop_run['config0'], coop_run['ckpt'], '--work-dir',
                      str(tmp_path / 'w'), *option)
        assert f'data_root={wrong}' in str(err.value)
        assert osp.join(REPO, 'data') not in str(err.value)
    # a config whose datasets point nowhere, tested on the right data with --data-root
    config = tmp_path / 'elsewhere.py'
    config.write_text(open(coop_run['config0']).read().replace(repr(toy_data_root), repr(wrong)))
    out = str(tmp_path / 'metrics.json')
    call_tool('test.py', str(config), coop_run['ckpt'], '--work-dir', str(tmp_path / 'w'),
              '--data-root', toy_data_root, '--out', out)
    assert osp.isfile(out)


def test_protocol_stage2_without_stage1_names_the_command(tmp_path):
    work = str(tmp_path / 'b2n')
    with pytest.raises(FileNotFoundError) as err:
        call_tool('run_protocol.py', 'configs/protocols/toyworld_demo.py', '--methods', 'fvgpt',
                  '--work-dir', work, '--seeds', '2')
    message = str(err.value)
    assert 'starts from stage 1 "coop" on toyworld, seed 2, which has not finished' in message
    assert ('python tools/run_protocol.py configs/protocols/toyworld_demo.py --methods coop '
            f'--datasets toyworld --seeds 2 --work-dir {work}') in message
