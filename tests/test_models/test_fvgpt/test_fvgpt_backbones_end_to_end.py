"""Each backbone, then FVG-PT on it, through tools/train.py and tools/test.py on a tiny toy world
(1 epoch each), and the stage-1 recipe check of FVG-PT for each backbone."""
import copy
import json
import os.path as osp
import runpy
import sys

import pytest

import fvgpt.models.fvgpt  # noqa: F401  (registers FVG-PT)
from fvgpt.models.fvgpt.stage1_checkpoint import Stage1CheckpointError
from fvgpt.registry import MODELS
from fvgpt.toyworld.world import ToyWorldConfig
from fvgpt.toyworld.writer import write_toyworld

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
TINY = dict(type='OpenCLIP', model_name='fvgpt-tiny-vit', pretrained=None)

# Stage-1 models on the tiny CLIP (2 layers per tower), each backbone's own recipe shrunk.
BACKBONES = {
    'cocoop':
    dict(
        type='CoCoOp',
        clip=TINY,
        prompt_learner=dict(type='CoCoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')),
    'kgcoop':
    dict(
        type='KgCoOp',
        clip=TINY,
        kg_weight=2.0,
        prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')),
    'mmrl':
    dict(
        type='MMRL',
        clip=TINY,
        alpha=0.7,
        reg_weight=1.0,
        representation_learner=dict(
            type='MMRLRepresentationLearner', n_tokens=2, rep_dim=16, rep_layers=[2])),
    'promptsrc':
    dict(
        type='PromptSRC',
        clip=TINY,
        text_weight=25.0,
        image_weight=10.0,
        prompt_learner=dict(
            type='IVLPPromptLearner', n_ctx_text=4, n_ctx_vision=2, depth_text=2, depth_vision=2)),
}
# What each backbone's recipe adds to stage 1 (hooks), as its configs/<method>/ do.
STAGE1_HOOKS = {'promptsrc': [dict(type='GaussianPromptAggregationHook', mean=15.0, std=1.0)]}

STAGE1 = """
_base_ = [{runtime!r}]
model = {model!r}
data = dict(
    type='CoOpSplitDataset', data_root={data_root!r}, dataset_dir='toyworld',
    split_file='split_zhou_ToyWorld.json', templates=['a photo of a {{}}.'],
    dataset_name='toyworld', num_shots=2, seed=1)
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
custom_hooks = [*_base_.custom_hooks, *{hooks!r}]
"""

# Stage 2 on the stage-1 config above, as configs/fvgpt/ builds it (stage 1's extra hooks are
# stage 1's recipe, not FVG-PT's).
STAGE2 = """
_base_ = [{stage1!r}, {fvgpt_base!r}]
model = dict(_delete_=True, type='FVGPT', backbone=_base_.model,
             backbone_ckpt={stage1_dir!r}, stage1_config={stage1!r}, **_base_.fvgpt_model)
fvgpt_train_pipeline = [
    dict(t, scale=32, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop'
    else t for t in _base_.fvgpt_train_pipeline]
train_dataloader = dict(dataset=dict(with_mask=True, on_missing='invalid',
                                     pipeline=fvgpt_train_pipeline))
custom_hooks = [dict(type='ClassListHook'), dict(type='WeightsOnlyCheckpointHook')]
"""


def run_tool(tool, *args):
    argv = sys.argv
    sys.argv = [tool, *args]
    try:
        runpy.run_path(osp.join(REPO, 'tools', tool), run_name='__main__')
    finally:
        sys.argv = argv


@pytest.fixture(scope='module')
def toy_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('toy') / 'data')
    write_toyworld(
        root,
        ToyWorldConfig(
            image_size=32,
            colours=('red', 'green', 'blue'),
            shapes=('circle', 'square'),
            num_train=2,
            num_val=1,
            num_test=2,
            spurious_corr=0.5,
            degraded_mask_ratio=0.25),
        progress=False)
    return root


def write_configs(tmp_path, name, toy_root):
    stage1, stage2 = str(tmp_path / f'{name}_toy.py'), str(tmp_path / f'fvgpt_{name}_toy.py')
    stage1_dir = str(tmp_path / 'w1')
    with open(stage1, 'w') as f:
        f.write(
            STAGE1.format(
                runtime=osp.join(REPO, 'configs/_base_/default_runtime.py'),
                model=BACKBONES[name],
                data_root=toy_root,
                hooks=STAGE1_HOOKS.get(name, [])))
    with open(stage2, 'w') as f:
        f.write(
            STAGE2.format(
                stage1=stage1,
                stage1_dir=stage1_dir,
                fvgpt_base=osp.join(REPO, 'configs/fvgpt/_base_/fvgpt_heads.py')))
    return stage1, stage2, stage1_dir


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_backbone_then_fvgpt_through_the_tools(tmp_path, toy_root, name):
    stage1, stage2, stage1_dir = write_configs(tmp_path, name, toy_root)
    run_tool('train.py', stage1, '--work-dir', stage1_dir)
    stage2_dir = str(tmp_path / 'w2')
    run_tool('train.py', stage2, '--work-dir', stage2_dir)
    for split in ('base', 'new'):
        out = str(tmp_path / f'{split}.json')
        run_tool('test.py', stage2, osp.join(stage2_dir, 'epoch_1.pth'), '--work-dir',
                 str(tmp_path / f'test_{split}'), '--out', out, '--cfg-options',
                 f'test_dataloader.dataset.subsample={split}')
        with open(out) as f:
            assert 0 <= json.load(f)['accuracy/top1'] <= 100

    # Another recipe of the same backbone (or another backbone) on this stage-1 checkpoint
    # stops with both recipes and the stage-1 command.
    other = copy.deepcopy(BACKBONES[name])
    if name == 'mmrl':
        other['representation_learner']['rep_layers'] = [1, 2]
    elif name == 'promptsrc':
        other['prompt_learner']['depth_vision'] = 1
    elif name == 'cocoop':
        other['prompt_learner']['meta_net_ratio'] = 8
    else:
        other['prompt_learner'] = dict(type='CoOpPromptLearner', n_ctx=2)
    diff = dict(
        mmrl='rep_layers', promptsrc='depth_vision', kgcoop='n_ctx', cocoop='meta_net_widths')[name]
    for backbone, diff in [(other, diff),
                           (BACKBONES['mmrl' if name != 'mmrl' else 'kgcoop'], 'backbone')]:
        with pytest.raises(Stage1CheckpointError) as err:
            MODELS.build(
                dict(
                    type='FVGPT', backbone=backbone, backbone_ckpt=stage1_dir,
                    stage1_config=stage1))
        message = str(err.value)
        assert 'checkpoint:' in message and 'config:' in message and diff in message
        assert f'python tools/train.py {stage1}' in message
