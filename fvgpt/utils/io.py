"""File writing shared by the packages."""
import json
import os
import os.path as osp
import tempfile
from typing import Any


def dump_json_atomic(obj: Any, path: str, indent: int = 2) -> None:
    """Writes ``obj`` as JSON to ``path`` through a temporary file in the same folder and
    ``os.replace``: an interrupted run leaves the old file or the new one, never half of one."""
    folder = osp.dirname(path) or '.'
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix='.' + osp.basename(path) + '-', suffix='.tmp', dir=folder)
    try:
        with os.fdopen(fd, 'w') as f:
            json.dump(obj, f, indent=indent)
            f.write('\n')
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
