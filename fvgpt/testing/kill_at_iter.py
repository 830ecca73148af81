"""Runs tools/train.py with a hook that kills the process (SIGKILL, as ``kill -9``) right after a
given training iteration, for tests of ``--resume``:
``python -m fvgpt.testing.kill_at_iter ITER CONFIG [train.py options]``.

The hook is registered only when this module runs as the program, never by importing
``fvgpt.testing``.
"""
import os
import os.path as osp
import signal
import sys

from mmengine.hooks import Hook


class KillAtIterHook(Hook):
    """Kills the training process right after iteration ``at_iter`` (1-based).

    Args:
        at_iter (int): the last iteration that runs.
    """

    priority = 'LOWEST'

    def __init__(self, at_iter: int):
        self.at_iter = at_iter

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if runner.iter + 1 == self.at_iter:  # the loop counts the iteration after the hooks
            os.kill(os.getpid(), signal.SIGKILL)


def main(argv) -> None:
    """Writes ``<config>_killed.py`` (the config with the hook added) and trains it."""
    from fvgpt.registry import HOOKS
    from fvgpt.testing.tool_runs import call_tool
    if len(argv) < 2:
        raise SystemExit('usage: python -m fvgpt.testing.kill_at_iter ITER CONFIG '
                         '[train.py options]')
    at_iter, config, *args = argv
    HOOKS.register_module(module=KillAtIterHook)
    killing = osp.splitext(config)[0] + '_killed.py'
    with open(killing, 'w') as f:
        f.write(f'_base_ = [{config!r}]\n'
                'custom_hooks = [dict(type="ClassListHook"), '
                'dict(type="WeightsOnlyCheckpointHook"), dict(type="EpochSeedHook"), '
                f'dict(type="KillAtIterHook", at_iter={int(at_iter)})]\n')
    call_tool('train.py', killing, *args)


if __name__ == '__main__':
    main(sys.argv[1:])
