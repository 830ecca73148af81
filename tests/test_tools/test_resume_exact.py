"""kill -9 in the middle of an epoch, then `--resume`: the final checkpoint equals the one of
the uninterrupted run bit for bit (CoOp and FVG-PT, two persistent dataloader workers, random
crop and flip)."""
import os.path as osp

import torch

from fvgpt.testing import run_tool, write_stage2
from fvgpt.utils import load_checkpoint_file

KILLER = ['-m', 'fvgpt.testing.kill_at_iter']


def tensors(obj, prefix=''):
    """Every tensor of a nested checkpoint entry, by path."""
    if torch.is_tensor(obj):
        return {prefix: obj}
    out = {}
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.update(tensors(value, f'{prefix}/{key}'))
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            out.update(tensors(value, f'{prefix}/{i}'))
    return out


def assert_same_training_state(path_a, path_b):
    a, b = load_checkpoint_file(path_a), load_checkpoint_file(path_b)
    assert a['meta']['epoch'] == b['meta']['epoch'] and a['meta']['iter'] == b['meta']['iter']
    for part in ('state_dict', 'optimizer', 'param_schedulers'):
        ta, tb = tensors(a.get(part)), tensors(b.get(part))
        assert ta.keys() == tb.keys(), part
        for key in ta:
            assert torch.equal(ta[key], tb[key]), \
                f'{part}{key} differs by {(ta[key].float() - tb[key].float()).abs().max()}'
    # the optimizer moved: momentum buffers exist and are not zero
    assert any(
        k.endswith(('momentum_buffer', 'exp_avg')) and v.abs().sum() > 0
        for k, v in tensors(a['optimizer']).items())


def kill_then_resume(config, work_dir, at_iter, ckpt_name):
    proc = run_tool([*KILLER, str(at_iter), config, '--work-dir', work_dir], ok=False)
    assert proc.returncode == -9, proc.out[-3000:]
    assert not osp.exists(osp.join(work_dir, ckpt_name))  # killed before the end
    out = run_tool(['tools/train.py', config, '--work-dir', work_dir, '--resume']).out
    assert 'resumed epoch: 1' in out, out[-3000:]
    return osp.join(work_dir, ckpt_name)


def test_coop_killed_mid_epoch_resumes_to_the_uninterrupted_result(coop_run, tmp_path):
    # 6 iterations per epoch: killed in the 3rd iteration of epoch 2, resumed from epoch 1
    resumed = kill_then_resume(coop_run['config'], str(tmp_path / 'work'), 9, 'epoch_3.pth')
    assert_same_training_state(coop_run['ckpt'], resumed)


def test_fvgpt_killed_mid_epoch_resumes_to_the_uninterrupted_result(coop_run, tmp_path):
    config = write_stage2(
        str(tmp_path / 'fvgpt_toy.py'), coop_run['config'], coop_run['ckpt'], epochs=2)
    straight = str(tmp_path / 'straight')
    run_tool(['tools/train.py', config, '--work-dir', straight])
    resumed = kill_then_resume(config, str(tmp_path / 'work'), 9, 'epoch_2.pth')
    assert_same_training_state(osp.join(straight, 'epoch_2.pth'), resumed)
