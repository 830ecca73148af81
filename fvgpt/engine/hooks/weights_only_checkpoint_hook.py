"""Makes mmengine checkpoints loadable with ``torch.load(weights_only=True)``."""
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from fvgpt.registry import HOOKS

_MARK = '__history_buffer__'


@HOOKS.register_module()
class WeightsOnlyCheckpointHook(Hook):
    """Stores the message hub's ``HistoryBuffer``s as plain data, and restores them on load.

    mmengine pickles each ``HistoryBuffer`` with its class-level table of statistics methods,
    which needs ``builtins.getattr`` to unpickle: allowing that global would let any checkpoint
    call methods of allowed classes (``ndarray.tofile`` writes files), which defeats
    ``weights_only``. Saved as arrays and ints instead, a checkpoint needs only numpy's
    array globals, which :func:`fvgpt.utils.register_safe_globals` allows.
    """

    priority = 'VERY_LOW'  # after every hook that may add to the checkpoint

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
        for key, buf in list(scalars.items()):
            if isinstance(buf, HistoryBuffer):
                log, count = buf.data
                scalars[key] = {
                    _MARK: True,
                    'log_history': log,
                    'count_history': count,
                    'max_length': buf.max_length
                }

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
        for key, value in list(scalars.items()):
            if isinstance(value, dict) and value.get(_MARK):
                scalars[key] = HistoryBuffer(value['log_history'], value['count_history'],
                                             value['max_length'])
