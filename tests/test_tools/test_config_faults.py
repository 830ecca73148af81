"""Config mistakes through the CLI: a misspelled top-level --cfg-options key, the data root set
in one place, the protocol's stage 2 without its stage 1."""
import os.path as osp

from toyworld_cli import REPO, run_tool


def test_misspelled_top_level_cfg_option_is_rejected(coop_run, tmp_path):
    proc = run_tool(['tools/train.py', coop_run['config'], '--work-dir', str(tmp_path / 'w'),
                     '--cfg-options', 'randomnes.seed=5'], ok=False)
    assert 'unknown top-level key(s) randomnes' in proc.out and 'randomness' in proc.out
    assert not osp.exists(str(tmp_path / 'w' / 'epoch_1.pth'))


def test_data_root_is_set_in_one_place(coop_run, toy_data_root, tmp_path):
    wrong = str(tmp_path / 'nowhere')
    for option in (['--data-root', wrong], ['--cfg-options', f'data_root={wrong}']):
        proc = run_tool(['tools/test.py', coop_run['config'], coop_run['ckpt'], '--work-dir',
                         str(tmp_path / 'w'), *option], ok=False)
        assert f'data_root={wrong}' in proc.out
        assert osp.join(REPO, 'data') not in proc.out
    # a config whose datasets point nowhere, tested on the right data with --data-root
    config = tmp_path / 'elsewhere.py'
    config.write_text(open(coop_run['config']).read().replace(repr(toy_data_root),
                                                              repr(wrong)))
    out = str(tmp_path / 'metrics.json')
    run_tool(['tools/test.py', str(config), coop_run['ckpt'], '--work-dir', str(tmp_path / 'w'),
              '--data-root', toy_data_root, '--out', out])
    assert osp.isfile(out)


def test_protocol_stage2_without_stage1_names_the_command(tmp_path):
    work = str(tmp_path / 'b2n')
    proc = run_tool(['tools/run_protocol.py', 'configs/protocols/toyworld_demo.py', '--methods',
                     'fvgpt', '--work-dir', work, '--seeds', '2'], ok=False)
    assert 'starts from stage 1 "coop" on toyworld, seed 2, which has not finished' in proc.out
    assert ('python tools/run_protocol.py configs/protocols/toyworld_demo.py --methods coop '
            f'--datasets toyworld --seeds 2 --work-dir {work}') in proc.out
