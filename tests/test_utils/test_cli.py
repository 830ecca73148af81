"""What tools/train.py and tools/test.py do alike to a config from the command line
(fvgpt/utils/cli.py)."""
import argparse
import os
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.utils.cli import (add_common_args, apply_common_args, check_cfg_options,
                             find_resume_checkpoint, parse_common_args, propagate_data_root)


def make_cfg(**extra):
    """A config with a CoOp dataset in train, a ConcatDataset of one (and a dataset type fvgpt
    does not know) in val, a RepeatDataset of one in test."""
    coop = dict(type='CoOpSplitDataset', data_root='config_root', seed=1)
    return Config(
        dict(
            model=dict(type='CoOp', note='seed{seed}'),
            randomness=dict(seed=1),
            train_dataloader=dict(dataset=dict(coop)),
            val_dataloader=dict(
                dataset=dict(type='ConcatDataset', datasets=[dict(coop),
                                                             dict(type='NotADataset')])),
            test_dataloader=dict(dataset=dict(type='RepeatDataset', times=2, dataset=dict(coop))),
            **extra))


def data_roots(cfg):
    return (cfg.train_dataloader.dataset.data_root,
            cfg.val_dataloader.dataset.datasets[0].data_root,
            cfg.test_dataloader.dataset.dataset.data_root)


def test_unknown_top_level_cfg_option_is_named():
    cfg = make_cfg()
    check_cfg_options(cfg, {'randomness.seed': 5, 'resume': True, 'model.note': 'x'})
    with pytest.raises(KeyError, match='randomnes, trian_cfg'):
        check_cfg_options(cfg, {'randomnes.seed': 5, 'trian_cfg.max_epochs': 1})


def test_top_level_data_root_reaches_every_dataset_wrapped_or_not():
    cfg = make_cfg()
    assert propagate_data_root(cfg) is None  # no top-level data_root: nothing changes
    assert data_roots(cfg) == ('config_root', ) * 3
    cfg.data_root = '/data'
    assert propagate_data_root(cfg) == '/data'
    assert data_roots(cfg) == ('/data', ) * 3
    # an unregistered type without data_root does not get one
    assert 'data_root' not in cfg.val_dataloader.dataset.datasets[1]


def test_data_root_from_cli_then_explicit_dataset_option_wins(tmp_path):
    cfg = apply_common_args(
        make_cfg(data_root='config_top'),
        'configs/coop/x.py',
        cfg_options={
            'data_root': '/from_options',
            'test_dataloader.dataset.dataset.data_root': '/only_test'
        },
        work_dir=str(tmp_path),
        data_root='/from_cli')
    assert cfg.data_root == '/from_cli'  # --data-root over --cfg-options data_root=
    assert data_roots(cfg) == ('/from_cli', '/from_cli', '/only_test')
    assert cfg.launcher == 'none'


def test_work_dir_default_config_and_seed_folder():
    cfg = apply_common_args(make_cfg(), 'configs/coop/coop_b2n_dtd.py', seed=3)
    assert cfg.work_dir == osp.join('./work_dirs', 'coop_b2n_dtd', 'seed3')
    # the seed reaches the runner, the few-shot draw and the strings naming it
    assert cfg.randomness.seed == 3 and cfg.train_dataloader.dataset.seed == 3
    assert cfg.model.note == 'seed3'
    cfg = apply_common_args(make_cfg(work_dir='runs/mine'), 'configs/coop/coop_b2n_dtd.py', seed=2)
    assert cfg.work_dir == osp.join('runs/mine', 'seed2')
    cfg = apply_common_args(make_cfg(), 'configs/coop/coop_b2n_dtd.py', work_dir='w', seed=2)
    assert cfg.work_dir == 'w'  # an explicit --work-dir is used as given
    with pytest.raises(KeyError, match='trian_cfg'):
        apply_common_args(make_cfg(), 'x.py', cfg_options={'trian_cfg.max_epochs': 1})


def test_common_args_parse_and_export_local_rank(monkeypatch):
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    monkeypatch.setattr('sys.argv', [
        'train.py', '--cfg-options', 'train_cfg.max_epochs=2', 'model.note=a', '--seed', '4',
        '--launcher', 'pytorch', '--local-rank', '3', '--data-root', '/d'
    ])
    args = parse_common_args(parser)
    assert args.cfg_options == {'train_cfg.max_epochs': 2, 'model.note': 'a'}
    assert (args.seed, args.launcher, args.local_rank, args.data_root) == (4, 'pytorch', 3, '/d')
    assert os.environ['LOCAL_RANK'] == '3'
    monkeypatch.setenv('LOCAL_RANK', '1')  # torchrun's value is kept
    parse_common_args(parser)
    assert os.environ['LOCAL_RANK'] == '1'
    monkeypatch.setattr('sys.argv', ['train.py', '--launcher', 'ssh'])
    with pytest.raises(SystemExit):
        parse_common_args(parser)


def test_resume_checkpoint_follows_last_checkpoint_even_after_a_move(tmp_path):
    work = tmp_path / 'work'
    work.mkdir()
    assert find_resume_checkpoint(str(work)) is None  # nothing to resume
    (work / 'epoch_2.pth').write_bytes(b'x')
    (work / 'last_checkpoint').write_text(str(work / 'epoch_2.pth') + '\n')
    assert find_resume_checkpoint(str(work)) == str(work / 'epoch_2.pth')
    moved = tmp_path / 'moved'
    work.rename(moved)  # last_checkpoint still names the old folder
    assert find_resume_checkpoint(str(moved)) == osp.join(str(moved), 'epoch_2.pth')
    (moved / 'epoch_1.pth').write_bytes(b'x')
    (moved / 'epoch_2.pth').unlink()
    with pytest.raises(FileNotFoundError) as err:
        find_resume_checkpoint(str(moved))
    message = str(err.value)
    assert str(moved / 'last_checkpoint') in message and str(work / 'epoch_2.pth') in message
    assert str(moved / 'epoch_1.pth') in message  # the checkpoint to resume from instead
