"""Each backbone, then FVG-PT on it, through tools/train.py and tools/test.py on a tiny toy world
(1 epoch each), and the stage-1 recipe check of FVG-PT for each backbone."""
import copy
import json
import os.path as osp

import pytest

import fvgpt.models.fvgpt  # noqa: F401  (registers FVG-PT)
from fvgpt.models.fvgpt.stage1_checkpoint import Stage1CheckpointError
from fvgpt.registry import MODELS
from fvgpt.testing import call_tool, make_toyworld, tiny_clip_cfg, write_stage1, write_stage2

TINY = tiny_clip_cfg()

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
    'maple':
    dict(
        type='MaPLe',
        clip=TINY,
        prompt_learner=dict(type='MaPLePromptLearner', n_ctx=2, depth=2, ctx_init='a photo of a')),
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
    'tcp':
    dict(
        type='TCP',
        clip=TINY,
        kg_weight=8.0,
        prompt_learner=dict(type='TCPPromptLearner', n_ctx=4, class_token_block=1)),
}
# What each backbone's recipe adds to stage 1 (hooks), as its configs/<method>/ do.
STAGE1_HOOKS = {'promptsrc': [dict(type='GaussianPromptAggregationHook', mean=15.0, std=1.0)]}


@pytest.fixture(scope='module')
def toy_root(tmp_path_factory):
    return make_toyworld(str(tmp_path_factory.mktemp('toy') / 'data'), num_train=2)


def write_configs(tmp_path, name, toy_root):
    stage1_dir = str(tmp_path / 'w1')
    stage1 = write_stage1(
        str(tmp_path / f'{name}_toy.py'),
        toy_root,
        BACKBONES[name],
        epochs=1,
        num_shots=2,
        batch_size=4,
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9),
        hooks=STAGE1_HOOKS.get(name, []))
    # Stage 2 as configs/fvgpt/ builds it (stage 1's extra hooks are stage 1's recipe, not
    # FVG-PT's), with the bases' optimizer and stage 1's epochs.
    stage2 = write_stage2(
        str(tmp_path / f'fvgpt_{name}_toy.py'),
        stage1,
        stage1_dir,
        epochs=None,
        on_missing='invalid',
        optimizer=None,
        hooks=[dict(type='ClassListHook'),
               dict(type='WeightsOnlyCheckpointHook')])
    return stage1, stage2, stage1_dir


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_backbone_then_fvgpt_through_the_tools(tmp_path, toy_root, name):
    stage1, stage2, stage1_dir = write_configs(tmp_path, name, toy_root)
    call_tool('train.py', stage1, '--work-dir', stage1_dir)
    stage2_dir = str(tmp_path / 'w2')
    call_tool('train.py', stage2, '--work-dir', stage2_dir)
    for split in ('base', 'new'):
        out = str(tmp_path / f'{split}.json')
        call_tool('test.py', stage2, osp.join(stage2_dir, 'epoch_1.pth'), '--work-dir',
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
    elif name == 'maple':
        other['prompt_learner']['n_ctx'] = 3
    elif name == 'tcp':
        other['prompt_learner']['class_token_block'] = 0
    elif name == 'cocoop':
        other['prompt_learner']['meta_net_ratio'] = 8
    else:
        other['prompt_learner'] = dict(type='CoOpPromptLearner', n_ctx=2)
    diff = dict(
        mmrl='rep_layers',
        promptsrc='depth_vision',
        kgcoop='n_ctx',
        maple='n_ctx',
        tcp='class_token_block',
        cocoop='meta_net_widths')[name]
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
