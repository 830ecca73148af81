"""A small toy world and a trained CoOp stage 1 on it, shared by the CLI tests of this
folder (the helpers live in fvgpt.testing)."""
import os.path as osp

import pytest

from fvgpt.testing import make_toyworld, run_tool, write_stage1


@pytest.fixture(scope='session')
def toy_data_root(tmp_path_factory) -> str:
    """A toy world that tests must not modify (copy it first)."""
    return make_toyworld(str(tmp_path_factory.mktemp('toy') / 'data'))


@pytest.fixture(scope='session')
def coop_run(tmp_path_factory, toy_data_root) -> dict:
    """CoOp trained 3 epochs, uninterrupted, in a subprocess, with 2 persistent dataloader
    workers: ``config`` (that one), ``config0`` (the same without workers, for tests that run
    the tools in this process), ``work_dir``, ``ckpt`` (epoch 3)."""
    root = tmp_path_factory.mktemp('coop_run')
    config = write_stage1(str(root / 'coop_toy_workers.py'), toy_data_root, epochs=3, workers=2)
    work_dir = str(root / 'work')
    run_tool(['tools/train.py', config, '--work-dir', work_dir])
    return dict(
        config=config,
        work_dir=work_dir,
        ckpt=osp.join(work_dir, 'epoch_3.pth'),
        config0=write_stage1(str(root / 'coop_toy.py'), toy_data_root, epochs=3))
