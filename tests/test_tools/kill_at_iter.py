"""Runs tools/train.py with a hook that kills the process (SIGKILL, as `kill -9`) after a given
training iteration: ``python kill_at_iter.py ITER CONFIG [train.py options]``."""
import os
import os.path as osp
import runpy
import signal
import sys

from mmengine.hooks import Hook

from fvgpt.registry import HOOKS


@HOOKS.register_module()
class KillAtIterHook(Hook):
    """Kills the training process right after iteration ``at_iter`` (1-based)."""

    priority = 'LOWEST'

    def __init__(self, at_iter: int):
        self.at_iter = at_iter

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if runner.iter + 1 == self.at_iter:  # the loop counts the iteration after the hooks
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == '__main__':
    at_iter, config, *args = sys.argv[1:]
    killing = osp.splitext(config)[0] + '_killed.py'
    with open(killing, 'w') as f:
        f.write(f'_base_ = [{config!r}]\n'
                'custom_hooks = [dict(type="ClassListHook"), '
                'dict(type="WeightsOnlyCheckpointHook"), dict(type="EpochSeedHook"), '
                f'dict(type="KillAtIterHook", at_iter={at_iter})]\n')
    sys.argv = ['tools/train.py', killing, *args]
    runpy.run_path(osp.join(os.getcwd(), 'tools', 'train.py'), run_name='__main__')
