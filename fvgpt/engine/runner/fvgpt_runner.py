"""fvgpt's Runner: mmengine's, with the config text formatted once per distinct config."""
import itertools
import os.path as osp
from typing import Union

from mmengine.config import Config
from mmengine.runner import Runner

from fvgpt.registry import RUNNERS
from .once_formatted_config import OnceFormattedConfig


@RUNNERS.register_module()
class FVGPTRunner(Runner):
    """mmengine's ``Runner`` whose ``cfg`` is an :class:`OnceFormattedConfig`.

    Everything else is mmengine's: the dumped config file, the logged ``Config:`` text, the
    visualizer's copies and the checkpoints' ``meta['cfg']`` are the same text as before, only
    yapf runs once per distinct config instead of on every use. Without an ``experiment_name``
    each Runner of the process gets its own (the config's file stem and a count): mmengine's
    default, the start second, is shared by Runners built within one second (a protocol's stages),
    and its logger and visualizer are per name, so the later Runner would log into the earlier
    one's file. Selected by
    ``runner_type = 'FVGPTRunner'`` (``configs/_base_/default_runtime.py``); build it with
    :func:`build_runner`.

    Args:
        *args: ``Runner``'s positional arguments.
        cfg (Config | dict, optional): the full config, as for ``Runner``. Defaults to None.
        **kwargs: ``Runner``'s other arguments.
    """

    _count = itertools.count(1)

    def __init__(self, *args, cfg: Union[Config, dict, None] = None, **kwargs) -> None:
        if kwargs.get('experiment_name') is None:
            filename = getattr(cfg, 'filename', None)
            stem = osp.splitext(osp.basename(filename))[0] if filename else 'run'
            kwargs['experiment_name'] = f'{stem}_{next(self._count)}'
        # Runner deep-copies a Config, which keeps its class; a dict it would wrap in a Config.
        super().__init__(*args, cfg=None if cfg is None else OnceFormattedConfig.of(cfg), **kwargs)


def build_runner(cfg: Config) -> Runner:
    """Builds the Runner a config asks for, as mmpretrain's tools do.

    Args:
        cfg (Config): a full config; ``runner_type`` (a name in fvgpt's ``RUNNERS``) picks the
            class, mmengine's ``Runner`` without it.

    Returns:
        Runner: the runner, built with ``from_cfg``.
    """
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
