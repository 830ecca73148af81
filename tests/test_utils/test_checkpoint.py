"""Weights-only checkpoint loading with errors that name the file (fvgpt/utils/checkpoint.py)."""
import os

import numpy as np
import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

from fvgpt.utils.checkpoint import (CheckpointLoadError, check_checkpoint_covers,
                                    load_checkpoint_file, register_safe_globals)


def resume_state():
    """What mmengine's resume state holds besides tensors: numpy arrays and scalars."""
    return {
        'state_dict': {
            'w': torch.arange(3.)
        },
        'message_hub': {
            'loss': np.array([0.5, 0.25]),
            'iter': np.int64(7),
            'lr': np.float32(0.1)
        }
    }


def test_numpy_state_loads_and_torch_allow_list_is_left_as_it_was(tmp_path):
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(resume_state(), path)
    before = list(torch.serialization.get_safe_globals())
    ckpt = load_checkpoint_file(path)
    assert torch.equal(ckpt['state_dict']['w'], torch.arange(3.))
    assert np.array_equal(ckpt['message_hub']['loss'], [0.5, 0.25])
    assert ckpt['message_hub']['iter'] == 7
    assert list(torch.serialization.get_safe_globals()) == before


class RunsCode:

    def __reduce__(self):
        return os.system, ('true', )


@pytest.mark.parametrize(
    'content, says',
    [(b'', 'is empty (0 bytes)'), (b'\x89PNG\r\n\x1a\n' + bytes(64), 'it is a PNG image'),
     (b'\xff\xd8\xff\xe0' + bytes(64), 'it is a JPEG image'),
     ('model = dict(type="CoOp")\n'.encode(), 'a text file (it starts with "model = dict(')],
    ids=['empty', 'png', 'jpeg', 'text'])
def test_files_that_are_not_checkpoints_are_named(tmp_path, content, says):
    path = tmp_path / 'epoch_1.pth'
    path.write_bytes(content)
    with pytest.raises(CheckpointLoadError) as err:
        load_checkpoint_file(str(path))
    assert str(path) in str(err.value) and says in str(err.value)


def test_truncated_checkpoint_and_code_carrying_pickle_are_refused(tmp_path):
    whole = tmp_path / 'whole.pth'
    torch.save(resume_state(), whole)
    data = whole.read_bytes()
    cut = tmp_path / 'cut.pth'
    cut.write_bytes(data[:len(data) // 2])
    with pytest.raises(CheckpointLoadError, match=f'{cut} is a truncated or damaged checkpoint'):
        load_checkpoint_file(str(cut))
    evil = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'x': RunsCode()}, evil)
    with pytest.raises(CheckpointLoadError) as err:
        load_checkpoint_file(str(evil))
    assert f'{evil} is not a weights-only checkpoint' in str(err.value)
    assert 'system' in str(err.value)  # what the pickle wanted to call
    with open(evil, 'rb') as f:  # the file really carries code: pickle would run it
        assert b'system' in f.read()
    with pytest.raises(FileNotFoundError, match='Checkpoint not found'):
        load_checkpoint_file(str(tmp_path / 'absent.pth'))


def test_registration_allows_numpy_state_and_routes_mmengine_loads(tmp_path):
    register_safe_globals()
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(resume_state(), path)
    # mmengine 0.10.7's own torch.load (weights_only by default on torch >= 2.6)
    assert torch.load(path, weights_only=True)['message_hub']['iter'] == 7
    bad = tmp_path / 'bad.pth'
    bad.write_bytes(b'')
    with pytest.raises(CheckpointLoadError, match='is empty'):
        CheckpointLoader.load_checkpoint(str(bad), map_location='cpu')


def test_checkpoint_must_hold_every_trained_part(tmp_path):
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
    full = str(tmp_path / 'full.pth')
    torch.save({'state_dict': {f'module.{k}': v for k, v in model.state_dict().items()}}, full)
    check_checkpoint_covers(model, full)  # DDP's "module." prefix is not a difference
    part = str(tmp_path / 'part.pth')
    state = {k: v for k, v in model.state_dict().items() if k.startswith('0.')}
    torch.save({'state_dict': state, 'meta': dict(experiment_name='coop_toy', epoch=3)}, part)
    with pytest.raises(CheckpointLoadError) as err:
        check_checkpoint_covers(model, part)
    message = str(err.value)
    assert '2 of 4 are missing (1.weight, 1.bias)' in message
    assert 'The checkpoint holds 0' in message and 'run "coop_toy" (3 epochs)' in message
