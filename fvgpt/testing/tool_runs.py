"""Running the repository's tools (``tools/*.py``) from tests, as a user would from the
repository root: in a subprocess (:func:`run_tool`) or, faster, in this process
(:func:`call_tool`)."""
import os
import os.path as osp
import runpy
import subprocess
import sys
from typing import List, Optional

#: The repository root (the folder holding ``fvgpt/``, ``tools/`` and ``configs/``).
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def tool_path(tool: str) -> str:
    """The absolute path of ``tools/<tool>``.

    Raises:
        FileNotFoundError: fvgpt was imported from an installed copy without the repository's
            tools.
    """
    path = osp.join(REPO, 'tools', tool)
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} not found: fvgpt.testing runs the repository\'s tools, but fvgpt was '
            f'imported from {osp.dirname(osp.dirname(osp.abspath(__file__)))}, which is not a '
            'source checkout. Run the tests from the repository (pip install -e .).')
    return path


def run_tool(args: List[str],
             ok: bool = True,
             env: Optional[dict] = None,
             timeout: int = 600) -> subprocess.CompletedProcess:
    """Runs ``python <args>`` in the repository root, offline and on one thread.

    Args:
        args (list[str]): the interpreter's arguments, e.g. ``['tools/train.py', config]`` or
            ``['-m', 'fvgpt.testing.kill_at_iter', ...]``.
        ok (bool): whether the run must succeed (exit status 0) or fail (any other status).
            Defaults to True.
        env (dict, optional): extra environment variables.
        timeout (int): seconds before the run is stopped. Defaults to 600.

    Returns:
        subprocess.CompletedProcess: the process, with ``out`` = stdout + stderr.
    """
    full_env = dict(
        os.environ,
        HF_HUB_OFFLINE='1',
        OMP_NUM_THREADS='1',
        MKL_NUM_THREADS='1',
        PYTHONPATH=REPO,
        **(env or {}))
    proc = subprocess.run(
        [sys.executable] + args,
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout)
    proc.out = proc.stdout + proc.stderr
    assert (proc.returncode == 0) == ok, f'exit {proc.returncode}\n' + proc.out[-6000:]
    return proc


def call_tool(tool: str, *args: str) -> dict:
    """Runs ``tools/<tool>`` with ``args`` in this process, as ``python tools/<tool> args``
    would from the repository root (faster than a subprocess: the imports are done). An error
    propagates as the exception the user would see.

    Returns:
        dict: the tool's module globals after the run.
    """
    path = tool_path(tool)
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = [f'tools/{tool}', *args]
    os.chdir(REPO)
    try:
        return runpy.run_path(path, run_name='__main__')
    finally:
        sys.argv = argv
        os.chdir(cwd)


def log_text(work_dir: str) -> str:
    """The text of the newest run log in ``work_dir`` (``<timestamp>/<timestamp>.log``)."""
    runs = sorted(
        d for d in os.listdir(work_dir) if d[:1].isdigit() and osp.isdir(osp.join(work_dir, d)))
    if not runs:
        raise FileNotFoundError(f'{work_dir} holds no run folder (<timestamp>/): no run logged '
                                'there.')
    with open(osp.join(work_dir, runs[-1], runs[-1] + '.log')) as f:
        return f.read()
