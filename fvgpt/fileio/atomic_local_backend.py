"""Local file writes that leave either the old file or the complete new one, never a part."""
import errno
import os
import os.path as osp
import shutil
import tempfile
from pathlib import Path
from typing import Union

from mmengine.fileio import LocalBackend, register_backend

#: The name to give in ``backend_args`` (``CheckpointHook(backend_args=dict(backend=...))``).
ATOMIC_LOCAL_BACKEND = 'fvgpt_atomic_local'


def _file_mode() -> int:
    """The mode ``open()`` gives new files (``mkstemp`` makes them owner-only)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _size(num_bytes: float) -> str:
    for unit in ('bytes', 'KiB', 'MiB', 'GiB'):
        if num_bytes < 1024 or unit == 'GiB':
            return f'{num_bytes:.0f} {unit}' if unit == 'bytes' else f'{num_bytes:.1f} {unit}'
        num_bytes /= 1024
    return ''


def write_bytes_atomic(data: bytes, path: str) -> None:
    """Writes ``data`` to a temporary file beside ``path``, syncs it, and renames it to
    ``path``.

    Raises:
        OSError: naming ``path``; when the disk is full, also how much space the file needs
            and how much is free. The temporary file is removed; ``path`` is left as it was.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f'.{osp.basename(path)}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except OSError as err:
        if osp.exists(tmp):
            os.remove(tmp)
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            free = shutil.disk_usage(folder).free
            raise OSError(
                err.errno, f'Could not write {path}: no space left on the device '
                f'(the file needs {_size(len(data))} = {len(data):,} bytes, '
                f'{_size(free)} are free in {folder}). Nothing was written: the '
                'earlier files are intact. Free some space (or move the work dir) '
                'and resume with --resume.') from err
        raise OSError(
            err.errno, f'Could not write {path}: {err.strerror or err}. Nothing was '
            'written: the earlier files are intact.') from err


@register_backend(ATOMIC_LOCAL_BACKEND)
class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend with atomic writes (temporary file, fsync, rename).

    mmengine writes a checkpoint straight into ``epoch_N.pth``: a full disk or a kill during
    the write leaves a truncated file that ``last_checkpoint`` may then point at. Here the file
    appears only when complete, and a failed write says which file and how much space it needs.
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Writes bytes to ``filepath`` atomically."""
        write_bytes_atomic(obj, str(filepath))

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        """Writes text to ``filepath`` atomically."""
        write_bytes_atomic(obj.encode(encoding), str(filepath))
