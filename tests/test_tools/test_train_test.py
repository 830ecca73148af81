"""tools/train.py and tools/test.py end to end on the tiny CLIP, in subprocesses like a user."""
import json
import os.path as osp
import socket

import pytest
import torch

from fvgpt.testing import REPO, run_tool, write_class_folders
from fvgpt.utils import load_checkpoint_file

CONFIG = '''
_base_ = ['{repo}/configs/_base_/default_runtime.py']
model = dict(type='CoOp', clip=dict(type='OpenCLIP', model_name='fvgpt-tiny-vit'),
             prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4))
pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmpretrain.ResizeEdge', scale=32, edge='short', interpolation='bicubic'),
    dict(type='mmpretrain.CenterCrop', crop_size=32),
    dict(type='mmpretrain.PackInputs'),
]
train_dataloader = dict(batch_size={bs}, num_workers=0,
    dataset=dict(type='mmpretrain.CustomDataset', data_root='{data}', pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_dataloader = dict(batch_size=8, num_workers=0,
    dataset=dict(type='mmpretrain.CustomDataset', data_root='{data}', pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
train_cfg = dict(by_epoch=True, max_epochs={epochs}, val_interval=1)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(max_keep_ckpts=5))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
'''


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    return write_class_folders(str(tmp_path_factory.mktemp('data')), per_class=4)


def write_config(tmp_path, data_root, bs=4, epochs=2):
    path = tmp_path / 'tiny_coop.py'
    path.write_text(CONFIG.format(repo=REPO, data=data_root, bs=bs, epochs=epochs))
    return str(path)


def test_train_resume_and_test(tmp_path, data_root):
    config = write_config(tmp_path, data_root, epochs=2)
    work = str(tmp_path / 'work')
    run_tool(
        ['tools/train.py', config, '--work-dir', work, '--cfg-options', 'train_cfg.max_epochs=1'])
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    # the resolved config is written into the work dir
    assert osp.isfile(osp.join(work, 'tiny_coop.py'))
    # resume (weights_only loading of mmengine's state) and train the second epoch
    out = run_tool(['tools/train.py', config, '--work-dir', work, '--resume'])
    assert osp.isfile(osp.join(work, 'epoch_2.pth'))
    assert 'resumed epoch: 1' in (out.stdout + out.stderr).lower() or \
        'resumed' in (out.stdout + out.stderr).lower()
    metrics = str(tmp_path / 'metrics.json')
    run_tool([
        'tools/test.py', config,
        osp.join(work, 'epoch_2.pth'), '--work-dir', work, '--out', metrics
    ])
    result = json.load(open(metrics))
    assert 0 <= result['accuracy/top1'] <= 100


def test_default_work_dir_is_named_after_config(tmp_path, data_root):
    config = write_config(tmp_path, data_root, epochs=1)
    run_tool(['tools/train.py', config, '--no-validate'], )
    work = osp.join(REPO, 'work_dirs', 'tiny_coop')
    try:
        assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    finally:
        import shutil
        shutil.rmtree(work, ignore_errors=True)


def test_ddp_two_processes_match_one_process(tmp_path, data_root):
    """2-process DDP (gloo) with batch 2 per process == 1 process with batch 4."""
    single = write_config(tmp_path, data_root, bs=4, epochs=1)
    run_tool(['tools/train.py', single, '--work-dir', str(tmp_path / 'single'), '--no-validate'])
    ddp_dir = tmp_path / 'ddp'
    ddp_dir.mkdir()
    ddp = write_config(ddp_dir, data_root, bs=2, epochs=1)
    with socket.socket() as sock:  # a free port: a fixed one may be taken by another run
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    run_tool([
        '-m', 'torch.distributed.run', '--nproc_per_node=2', f'--master_port={port}',
        'tools/train.py', ddp, '--work-dir',
        str(tmp_path / 'ddp_work'), '--launcher', 'pytorch', '--no-validate'
    ])
    a = load_checkpoint_file(str(tmp_path / 'single' / 'epoch_1.pth'))['state_dict']
    b = load_checkpoint_file(str(tmp_path / 'ddp_work' / 'epoch_1.pth'))['state_dict']
    torch.testing.assert_close(
        a['prompt_learner.ctx'], b['prompt_learner.ctx'], rtol=1e-4, atol=1e-5)
    # and training moved the context away from the (seeded, shared) initial one
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(single)
    cfg.work_dir = str(tmp_path / 'init')
    init = Runner.from_cfg(cfg).model.prompt_learner.ctx.detach()
    assert (a['prompt_learner.ctx'] - init).abs().max() > 1e-3
