"""End to end on a small generated world with masks, through the repo's tools:
stage 1 (CoOp, IVLP), FVG-PT stage 2, then testing on base and on new classes."""
import json
import os
import os.path as osp

import pytest

# Registers FVG-PT (until fvgpt/models/__init__.py imports fvgpt.models.fvgpt itself).
import fvgpt.models.fvgpt  # noqa: F401
from fvgpt.testing import call_tool, make_toyworld, tiny_clip_cfg, write_stage1, write_stage2

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


def losses_of(work_dir):
    (run, ) = [d for d in sorted(os.listdir(work_dir)) if d[:1].isdigit()]
    with open(osp.join(work_dir, run, 'vis_data', 'scalars.json')) as f:
        return [json.loads(line) for line in f if '"loss"' in line]


@pytest.mark.parametrize('backbone', sorted(BACKBONES))
def test_stage1_then_fvgpt_then_test_base_and_new(tmp_path, backbone):
    data_root = make_toyworld(str(tmp_path / 'data'), num_train=4, num_test=3)
    stage1_dir, stage2_dir = str(tmp_path / 'w1'), str(tmp_path / 'w2')
    # 3 base classes x 4 shots, batch 4: 3 iterations per epoch
    stage1 = write_stage1(
        str(tmp_path / 'coop_toy.py'),
        data_root,
        dict(BACKBONES[backbone], clip=tiny_clip_cfg()),
        epochs=1,
        batch_size=4,
        optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
    # per-iteration losses in the logs (window_size=1)
    stage2 = write_stage2(
        str(tmp_path / 'fvgpt_coop_toy.py'),
        stage1,
        stage1_dir,
        epochs=4,
        on_missing='invalid',
        window_size=1)

    call_tool('train.py', stage1, '--work-dir', stage1_dir)
    call_tool('train.py', stage2, '--work-dir', stage2_dir)
    records = losses_of(stage2_dir)
    assert {'loss_ce', 'loss_dist', 'loss_gate', 'loss_new', 'gate_r', 'gate_b'} <= set(records[0])
    assert len(records) == 4 * 3  # 4 epochs of 3 iterations
    first = sum(r['loss'] for r in records[:3]) / 3  # mean over the first and the last epoch
    last = sum(r['loss'] for r in records[-3:]) / 3
    assert last < 0.8 * first, [round(r['loss'], 2) for r in records]

    ckpt = osp.join(stage2_dir, 'epoch_4.pth')
    for split in ('base', 'new'):
        out = str(tmp_path / f'{split}.json')
        call_tool('test.py', stage2, ckpt, '--work-dir', str(tmp_path / f'test_{split}'), '--out',
                  out, '--cfg-options', f'test_dataloader.dataset.subsample={split}')
        with open(out) as f:
            assert 0 <= json.load(f)['accuracy/top1'] <= 100
