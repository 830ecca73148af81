"""Atomic writes: the target holds the old or the complete new bytes, never a part."""
import errno
import os

import pytest

import fvgpt.fileio.atomic_local_backend as backend_module
from fvgpt.fileio import AtomicLocalBackend


def test_replaces_whole_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / 'sub' / 'epoch_1.pth'
    backend = AtomicLocalBackend()
    backend.put(b'first', str(target))
    backend.put(b'second version', str(target))
    assert target.read_bytes() == b'second version'
    assert os.listdir(tmp_path / 'sub') == ['epoch_1.pth']
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() would make it


def test_full_disk_keeps_the_old_file_and_names_the_size(tmp_path, monkeypatch):
    target = tmp_path / 'epoch_2.pth'
    target.write_bytes(b'old')

    def full(fd):
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr(backend_module.os, 'fsync', full)
    with pytest.raises(OSError) as err:
        AtomicLocalBackend().put(b'x' * 3000, str(target))
    assert err.value.errno == errno.ENOSPC
    assert f'Could not write {target}: no space left' in str(err.value)
    assert '3,000 bytes' in str(err.value)
    assert target.read_bytes() == b'old' and os.listdir(tmp_path) == ['epoch_2.pth']
