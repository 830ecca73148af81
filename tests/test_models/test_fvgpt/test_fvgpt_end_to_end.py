"""End to end on a small generated world with masks, through the repo's tools:
stage 1 (CoOp, IVLP), FVG-PT stage 2, then testing on base and on new classes."""
import json
import os
import os.path as osp
import runpy
import sys

import pytest

# Registers FVG-PT (until fvgpt/models/__init__.py imports fvgpt.models.fvgpt itself).
import fvgpt.models.fvgpt  # noqa: F401
from fvgpt.toyworld.world import ToyWorldConfig
from fvgpt.toyworld.writer import write_toyworld

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

STAGE1 = """
_base_ = [{runtime!r}]
model = dict(
    clip=dict(type='OpenCLIP', model_name='fvgpt-tiny-vit', pretrained=None), **{backbone})
data = dict(
    type='CoOpSplitDataset', data_root={data_root!r}, dataset_dir='toyworld',
    split_file='split_zhou_ToyWorld.json', templates=['a photo of a {{}}.'],
    dataset_name='toyworld', num_shots=4, seed=1)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PairedRandomResizedCrop', scale=32, crop_ratio_range=(0.5, 1.0),
         interpolation='bicubic'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='mmpretrain.PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmpretrain.ResizeEdge', scale=32, edge='short', interpolation='bicubic'),
    dict(type='mmpretrain.CenterCrop', crop_size=32),
    dict(type='mmpretrain.PackInputs'),
]
train_dataloader = dict(
    batch_size=4, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**data, split='train', subsample='base', pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=8, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**data, split='test', subsample='base', pipeline=test_pipeline))
test_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))
test_cfg = dict()
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
train_cfg = dict(by_epoch=True, max_epochs=1)
default_hooks = dict(logger=dict(interval=1))
"""

BACKBONES = {
    'coop':
    dict(type='CoOp', prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4)),
    'ivlp':
    dict(
        type='IVLP',
        prompt_learner=dict(  # the tiny CLIP has 2 + 2 blocks
            type='IVLPPromptLearner',
            n_ctx_text=2,
            n_ctx_vision=2,
            depth_text=2,
            depth_vision=2)),
}

# Stage 2 as configs/fvgpt/<backbone>_b2n_<dataset>.py builds it, on the stage-1 config above.
STAGE2 = """
_base_ = [{stage1!r}, {fvgpt_base!r}]
model = dict(_delete_=True, type='FVGPT', backbone=_base_.model,
             backbone_ckpt={stage1_dir!r}, stage1_config={stage1!r}, **_base_.fvgpt_model)
fvgpt_train_pipeline = [
    dict(t, scale=32, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop'
    else t for t in _base_.fvgpt_train_pipeline]
train_dataloader = dict(dataset=dict(with_mask=True, on_missing='invalid',
                                     pipeline=fvgpt_train_pipeline))
# The tiny CLIP is random: its logit scale (1 / 0.07) is far from s_fdc = 100, so z_fdc starts
# far from z_full and L_dist is large and stiff at first; Adam's bounded steps go down smoothly.
optim_wrapper = dict(optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=0.0))
train_cfg = dict(max_epochs=4)
log_processor = dict(window_size=1)  # per-iteration losses in the logs
"""


def run_tool(tool, *args):
    argv = sys.argv
    sys.argv = [tool, *args]
    try:
        runpy.run_path(osp.join(REPO, 'tools', tool), run_name='__main__')
    finally:
        sys.argv = argv


def losses_of(work_dir):
    (run, ) = [d for d in sorted(os.listdir(work_dir)) if d[:1].isdigit()]
    with open(osp.join(work_dir, run, 'vis_data', 'scalars.json')) as f:
        return [json.loads(line) for line in f if '"loss"' in line]


@pytest.mark.parametrize('backbone', sorted(BACKBONES))
def test_stage1_then_fvgpt_then_test_base_and_new(tmp_path, backbone):
    data_root = str(tmp_path / 'data')
    write_toyworld(
        data_root,
        ToyWorldConfig(
            image_size=32,
            colours=('red', 'green', 'blue'),
            shapes=('circle', 'square'),
            num_train=4,
            num_val=1,
            num_test=3,
            spurious_corr=0.5,
            degraded_mask_ratio=0.25),
        progress=False)
    stage1, stage2 = str(tmp_path / 'coop_toy.py'), str(tmp_path / 'fvgpt_coop_toy.py')
    stage1_dir, stage2_dir = str(tmp_path / 'w1'), str(tmp_path / 'w2')
    with open(stage1, 'w') as f:
        f.write(
            STAGE1.format(
                runtime=osp.join(REPO, 'configs/_base_/default_runtime.py'),
                data_root=data_root,
                backbone=repr(BACKBONES[backbone])))
    with open(stage2, 'w') as f:
        f.write(
            STAGE2.format(
                stage1=stage1,
                stage1_dir=stage1_dir,
                fvgpt_base=osp.join(REPO, 'configs/fvgpt/_base_/fvgpt_heads.py')))

    run_tool('train.py', stage1, '--work-dir', stage1_dir)
    run_tool('train.py', stage2, '--work-dir', stage2_dir)
    records = losses_of(stage2_dir)
    assert {'loss_ce', 'loss_dist', 'loss_gate', 'loss_new', 'gate_r', 'gate_b'} <= set(records[0])
    assert len(records) == 4 * 3  # 4 epochs of 3 iterations
    first = sum(r['loss'] for r in records[:3]) / 3  # mean over the first and the last epoch
    last = sum(r['loss'] for r in records[-3:]) / 3
    assert last < 0.8 * first, [round(r['loss'], 2) for r in records]

    ckpt = osp.join(stage2_dir, 'epoch_4.pth')
    for split in ('base', 'new'):
        out = str(tmp_path / f'{split}.json')
        run_tool('test.py', stage2, ckpt, '--work-dir', str(tmp_path / f'test_{split}'), '--out',
                 out, '--cfg-options', f'test_dataloader.dataset.subsample={split}')
        with open(out) as f:
            assert 0 <= json.load(f)['accuracy/top1'] <= 100
