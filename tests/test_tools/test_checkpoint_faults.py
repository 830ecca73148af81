"""Checkpoint faults through tools/train.py and tools/test.py on the toy world: a full disk
while saving, `--resume` with nothing or a dangling `last_checkpoint`, checkpoints of another
stage or of other CLIP weights, and files that are not checkpoints."""
import errno
import os
import os.path as osp
import shutil

import pytest
import torch

import fvgpt.fileio.atomic_local_backend as atomic_backend
from fvgpt.testing import REPO, call_tool, log_text, write_stage2
from fvgpt.utils import load_checkpoint_file


def test_disk_full_leaves_the_earlier_checkpoints_intact(coop_run, tmp_path, monkeypatch):
    work = str(tmp_path / 'work')
    real_fsync, calls = os.fsync, []

    def fsync(fd):  # the disk is full from the second checkpoint on
        calls.append(fd)
        if len(calls) >= 2:
            raise OSError(errno.ENOSPC, 'No space left on device')
        real_fsync(fd)

    monkeypatch.setattr(atomic_backend.os, 'fsync', fsync)
    with pytest.raises(OSError) as err:
        call_tool('train.py', coop_run['config0'], '--work-dir', work, '--cfg-options',
                  'train_cfg.max_epochs=2')
    target = osp.join(work, 'epoch_2.pth')
    assert f'Could not write {target}: no space left on the device' in str(err.value)
    assert 'the file needs' in str(err.value) and 'are free in' in str(err.value)
    # nothing half-written: no epoch_2.pth, no temporary file; last_checkpoint -> epoch 1
    assert sorted(f for f in os.listdir(work) if not osp.isdir(osp.join(work, f))) == \
        ['coop_toy.py', 'epoch_1.pth', 'last_checkpoint']
    with open(osp.join(work, 'last_checkpoint')) as f:
        assert f.read().strip() == osp.join(work, 'epoch_1.pth')
    # and once there is space, the run resumes from epoch 1
    monkeypatch.setattr(atomic_backend.os, 'fsync', real_fsync)
    call_tool('train.py', coop_run['config0'], '--work-dir', work, '--resume', '--cfg-options',
              'train_cfg.max_epochs=2')
    assert 'resumed epoch: 1' in log_text(work)
    assert load_checkpoint_file(target)['meta']['epoch'] == 2


def test_resume_with_nothing_to_resume_says_so_and_a_dangling_record_names_the_file(
        coop_run, tmp_path):
    work = str(tmp_path / 'work')
    call_tool('train.py', coop_run['config0'], '--work-dir', work, '--resume', '--cfg-options',
              'train_cfg.max_epochs=1')
    log = log_text(work)
    assert f'no checkpoint found in {work}' in log and 'training starts fresh' in log
    assert 'latest checkpoint None' not in log
    os.remove(osp.join(work, 'epoch_1.pth'))
    shutil.copy(coop_run['ckpt'], osp.join(work, 'epoch_3.pth'))  # another one is there
    with pytest.raises(FileNotFoundError) as err:
        call_tool('train.py', coop_run['config0'], '--work-dir', work, '--resume')
    message = str(err.value)
    assert f'names the checkpoint {osp.join(work, "epoch_1.pth")}, which is not there' in message
    assert '--resume FILE' in message and osp.join(work, 'epoch_3.pth') in message
    assert 'start fresh' in message


def test_stage1_checkpoint_given_to_fvgpt_test_fails_naming_the_missing_parts(coop_run, tmp_path):
    config = write_stage2(str(tmp_path / 'fvgpt_toy.py'), coop_run['config0'], coop_run['ckpt'])
    with pytest.raises(RuntimeError) as err:
        call_tool('test.py', config, coop_run['ckpt'], '--work-dir', str(tmp_path / 'test'))
    message = str(err.value)
    assert f'{coop_run["ckpt"]} does not hold the trained parts of this config\'s FVGPT' in \
        message
    assert 'adapter' in message  # what is missing
    assert 'holds prompt_learner and was written by the run "coop_toy_' in message
    assert not osp.exists(str(tmp_path / 'test' / 'metrics.json'))


def test_context_tuned_on_other_clip_weights_is_refused(coop_run, tmp_path):
    """The stage-1 context was tuned on the tiny CLIP's seed-1 random weights; a weights file
    of the same model name with other values is refused when testing, and the log says where
    CLIP's weights came from (not open_clip's "initialized randomly")."""
    from fvgpt.models.clip import OpenCLIP
    torch.manual_seed(123)
    other = str(tmp_path / 'other_tiny_clip.pt')
    torch.save(OpenCLIP('fvgpt-tiny-vit').model.state_dict(), other)
    work = str(tmp_path / 'test')
    with pytest.raises(ValueError) as err:
        call_tool('test.py', coop_run['config0'], coop_run['ckpt'], '--work-dir', work,
                  '--cfg-options', f'model.clip.pretrained={other}')
    assert 'weights_sha256' in str(err.value)
    assert ('tuned on other CLIP weights (checkpoint: pretrained=None, config: '
            f"pretrained='{other}')") in str(err.value)
    log = log_text(work)
    assert f'CLIP fvgpt-tiny-vit: weights loaded from the file {other}' in log
    assert 'No pretrained weights loaded' not in log


class CodeCarrier:
    """Unpickling it would call os.system."""

    def __reduce__(self):
        return os.system, ('echo pwned > ' + osp.join(REPO, 'PWNED'), )


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
    expected = {
        png: 'is not a PyTorch checkpoint: it is a PNG image',
        text: 'is not a PyTorch checkpoint: it is a text file',
        truncated: 'is a truncated or damaged checkpoint',
        carrier: 'is not a weights-only checkpoint: it holds Python objects'
    }
    for path, message in expected.items():
        with pytest.raises(RuntimeError) as err:
            call_tool('test.py', coop_run['config0'], str(path), '--work-dir',
                      str(tmp_path / 'test'))
        assert f'{path} {message}' in str(err.value)
        assert 'weights_only=False' not in str(err.value)
        assert 'add_safe_globals' not in str(err.value)
    # the same through --resume (mmengine's loader) and FVG-PT's backbone_ckpt
    with pytest.raises(RuntimeError) as err:
        call_tool('train.py', coop_run['config0'], '--work-dir', str(tmp_path / 'w'), '--resume',
                  str(png))
    assert f'{png} is not a PyTorch checkpoint: it is a PNG image' in str(err.value)
    config = write_stage2(str(tmp_path / 'fvgpt_toy.py'), coop_run['config0'], str(carrier))
    with pytest.raises(RuntimeError) as err:
        call_tool('train.py', config, '--work-dir', str(tmp_path / 'w2'))
    assert f'{carrier} is not a weights-only checkpoint' in str(err.value)
    assert 'GLOBAL posix.system' in str(err.value)  # what it carries
    assert 'weights_only=False' not in str(err.value)
    assert not osp.exists(osp.join(REPO, 'PWNED'))
