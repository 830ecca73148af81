"""Checkpoint faults through the CLI on the toy world: a full disk while saving, `--resume`
with nothing or a dangling `last_checkpoint`, checkpoints of another stage, of other CLIP
weights, and files that are not checkpoints."""
import os
import os.path as osp
import pickle
import shutil

import torch
from toyworld_cli import REPO, run_tool, write_stage2

from fvgpt.utils import load_checkpoint_file

# Fails os.fsync of the atomic checkpoint writer with ENOSPC from the N-th call on, as a full
# disk does, then runs tools/train.py.
DISK_FULL = """
import errno, os, runpy, sys, types
import fvgpt.fileio.atomic_local_backend as backend
calls = []
def fsync(fd):
    calls.append(fd)
    if len(calls) >= {fail_from}:
        raise OSError(errno.ENOSPC, 'No space left on device')
    os.fsync(fd)
backend.os = types.SimpleNamespace(**dict(vars(os), fsync=fsync))
sys.argv = ['tools/train.py'] + {args!r}
runpy.run_path('tools/train.py', run_name='__main__')
"""


def test_disk_full_leaves_the_earlier_checkpoints_intact(coop_run, tmp_path):
    work = str(tmp_path / 'work')
    proc = run_tool(['-c', DISK_FULL.format(fail_from=2, args=[
        coop_run['config'], '--work-dir', work, '--cfg-options', 'train_cfg.max_epochs=2'])],
        ok=False)
    target = osp.join(work, 'epoch_2.pth')
    assert f'Could not write {target}: no space left' in proc.out
    assert 'the file needs' in proc.out and 'bytes' in proc.out and 'are free' in proc.out
    # nothing half-written: no epoch_2.pth, no temporary file; last_checkpoint -> epoch 1
    assert sorted(f for f in os.listdir(work) if not osp.isdir(osp.join(work, f))) == \
        ['coop_toy.py', 'epoch_1.pth', 'last_checkpoint']
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == osp.join(work, 'epoch_1.pth')
    assert load_checkpoint_file(osp.join(work, 'epoch_1.pth'))['meta']['epoch'] == 1
    # and the run resumes from there once there is space
    out = run_tool(['tools/train.py', coop_run['config'], '--work-dir', work, '--resume',
                    '--cfg-options', 'train_cfg.max_epochs=2']).out
    assert 'resumed epoch: 1' in out
    assert load_checkpoint_file(target)['meta']['epoch'] == 2


def test_resume_with_nothing_to_resume_says_so_and_a_dangling_record_names_the_file(
        coop_run, tmp_path):
    work = str(tmp_path / 'work')
    out = run_tool(['tools/train.py', coop_run['config'], '--work-dir', work, '--resume',
                    '--cfg-options', 'train_cfg.max_epochs=1']).out
    assert f'no checkpoint found in {work}' in out and 'training starts fresh' in out
    assert 'latest checkpoint None' not in out
    os.remove(osp.join(work, 'epoch_1.pth'))
    shutil.copy(coop_run['ckpt'], osp.join(work, 'epoch_3.pth'))  # another one is there
    proc = run_tool(['tools/train.py', coop_run['config'], '--work-dir', work, '--resume'],
                    ok=False)
    assert f'names the checkpoint {osp.join(work, "epoch_1.pth")}, which is not there' in proc.out
    assert '--resume FILE' in proc.out and osp.join(work, 'epoch_3.pth') in proc.out
    assert 'start fresh' in proc.out


def test_stage1_checkpoint_given_to_fvgpt_test_fails_naming_the_missing_parts(coop_run,
                                                                               tmp_path):
    config = write_stage2(str(tmp_path / 'fvgpt_toy.py'), coop_run['config'], coop_run['ckpt'])
    proc = run_tool(['tools/test.py', config, coop_run['ckpt'], '--work-dir',
                     str(tmp_path / 'test')], ok=False)
    assert f'{coop_run["ckpt"]} does not hold the trained parts of this config\'s FVGPT' in \
        proc.out
    assert 'prompt_learner' in proc.out and 'written by the run "coop_toy_' in proc.out
    assert 'accuracy/top1' not in proc.out  # nothing was tested


def test_context_tuned_on_other_clip_weights_is_refused(coop_run, tmp_path):
    """The stage-1 context was tuned on the tiny CLIP's seed-1 random weights; a weights file
    of the same model name with other values is refused when testing, and the log says where
    CLIP's weights came from (not open_clip's "initialized randomly")."""
    from fvgpt.models.clip import OpenCLIP
    torch.manual_seed(123)
    other = str(tmp_path / 'other_tiny_clip.pt')
    torch.save(OpenCLIP('fvgpt-tiny-vit').model.state_dict(), other)
    proc = run_tool(['tools/test.py', coop_run['config'], coop_run['ckpt'], '--work-dir',
                     str(tmp_path / 'test'), '--cfg-options', f'model.clip.pretrained={other}'],
                    ok=False)
    assert 'clip_weights_sha256' in proc.out and 'tuned on other CLIP weights' in proc.out
    assert f"config: pretrained='{other}'" in proc.out
    assert f'CLIP fvgpt-tiny-vit: weights loaded from the file {other}' in proc.out
    assert 'No pretrained weights loaded' not in proc.out


class CodeCarrier:
    """Unpickling it would call os.system."""

    def __reduce__(self):
        return os.system, ('echo pwned > ' + osp.join(REPO, 'PWNED'),)


def test_files_that_are_not_checkpoints_are_named_and_refused(coop_run, tmp_path):
    png = tmp_path / 'image.pth'
    png.write_bytes(b'\x89PNG\r\n\x1a\n' + b'\x00' * 64)
    text = tmp_path / 'notes.pth'
    text.write_text('epoch 3 accuracy 81.2\n')
    truncated = tmp_path / 'truncated.pth'
    data = open(coop_run['ckpt'], 'rb').read()
    truncated.write_bytes(data[:len(data) // 2])
    carrier = tmp_path / 'carrier.pth'
    torch.save({'state_dict': {}, 'x': CodeCarrier()}, str(carrier))
    expected = {png: 'is not a PyTorch checkpoint: it is a PNG image',
                text: 'is not a PyTorch checkpoint: it is a text file',
                truncated: 'is a truncated or damaged checkpoint',
                carrier: 'is not a weights-only checkpoint: it holds Python objects'}
    for path, message in expected.items():
        proc = run_tool(['tools/test.py', coop_run['config'], str(path), '--work-dir',
                         str(tmp_path / 'test')], ok=False)
        assert f'{path} {message}' in proc.out, proc.out[-3000:]
        assert 'weights_only=False' not in proc.out and 'add_safe_globals' not in proc.out
    assert not osp.exists(osp.join(REPO, 'PWNED'))
    # the same names through --resume (mmengine's loader) and FVG-PT's backbone_ckpt
    work = tmp_path / 'resume'
    proc = run_tool(['tools/train.py', coop_run['config'], '--work-dir', str(work), '--resume',
                     str(png)], ok=False)
    assert f'{png} is not a PyTorch checkpoint: it is a PNG image' in proc.out
    config = write_stage2(str(tmp_path / 'fvgpt_toy.py'), coop_run['config'], str(carrier))
    proc = run_tool(['tools/train.py', config, '--work-dir', str(tmp_path / 'w2')], ok=False)
    assert f'{carrier} is not a weights-only checkpoint' in proc.out
    assert 'weights_only=False' not in proc.out
    assert not osp.exists(osp.join(REPO, 'PWNED'))
