"""Registries of fvgpt: children of mmpretrain's, in scope ``fvgpt``.

Each registry names the package that defines its components in ``locations``, so building from a
config imports them explicitly instead of relying on an import made elsewhere. A ``type`` that is in
no registry of the search path fails with the names this registry knows.
"""
from typing import Any, Optional

from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import Registry
from mmpretrain import registry as mmpretrain_registry


class FvgptRegistry(Registry):
    """A :class:`Registry` whose failed look-ups list the known names.

    mmengine's ``build_from_cfg`` switches to the registry of the default scope and calls ``get``;
    a ``None`` there becomes a generic "not in the registry" error. Raising here instead lets the
    message name every type the user could have meant.
    """

    def import_from_location(self) -> None:
        # mmengine imports the locations of the registry in scope only, so mmpretrain's own
        # components (its parent here) would be found only if something imported them before.
        super().import_from_location()
        if self.parent is not None:
            self.parent.import_from_location()

    def get(self, key: str) -> Optional[Any]:
        obj = super().get(key)
        if obj is None and isinstance(key, str):
            raise KeyError(self.unknown_message(key))
        return obj

    def unknown_message(self, key: str) -> str:
        """The error message for an unknown ``key``, with the names known to this registry."""
        known = sorted(self._module_dict)
        parent_known = sorted(self.parent._module_dict) if self.parent else []
        return (f'"{key}" is not in the fvgpt::{self.name} registry. Known fvgpt {self.name}s: '
                f'{", ".join(known) or "(none)"}. Also searched: {self.parent.scope}::{self.name} '
                f'({len(parent_known)} names, e.g. {", ".join(parent_known[:8])}, ...). '
                'Check the spelling of `type`, or prefix it with a scope ("mmseg.X").')

    def __contains__(self, key: str) -> bool:
        # ``in`` must answer False for unknown names, not raise.
        try:
            return super().get(key) is not None
        except KeyError:
            return False


def _child(name: str, location: str, parent: Optional[Registry] = None) -> FvgptRegistry:
    parent = parent or getattr(mmpretrain_registry, name)
    return FvgptRegistry(parent.name, parent=parent, scope='fvgpt', locations=[location])


# One child for every registry mmpretrain has (and mmengine's FUNCTIONS), so that mmengine never
# falls back to its root registries with a "Failed to search registry with scope" warning.
RUNNERS = _child('RUNNERS', 'fvgpt.engine')
RUNNER_CONSTRUCTORS = _child('RUNNER_CONSTRUCTORS', 'fvgpt.engine')
LOOPS = _child('LOOPS', 'fvgpt.engine')
HOOKS = _child('HOOKS', 'fvgpt.engine')
LOG_PROCESSORS = _child('LOG_PROCESSORS', 'fvgpt.engine')
OPTIMIZERS = _child('OPTIMIZERS', 'fvgpt.engine')
OPTIM_WRAPPERS = _child('OPTIM_WRAPPERS', 'fvgpt.engine')
OPTIM_WRAPPER_CONSTRUCTORS = _child('OPTIM_WRAPPER_CONSTRUCTORS', 'fvgpt.engine')
PARAM_SCHEDULERS = _child('PARAM_SCHEDULERS', 'fvgpt.engine')
DATASETS = _child('DATASETS', 'fvgpt.datasets')
DATA_SAMPLERS = _child('DATA_SAMPLERS', 'fvgpt.datasets')
TRANSFORMS = _child('TRANSFORMS', 'fvgpt.datasets.transforms')
MODELS = _child('MODELS', 'fvgpt.models')
MODEL_WRAPPERS = _child('MODEL_WRAPPERS', 'fvgpt.models')
WEIGHT_INITIALIZERS = _child('WEIGHT_INITIALIZERS', 'fvgpt.models')
BATCH_AUGMENTS = _child('BATCH_AUGMENTS', 'fvgpt.models')
TASK_UTILS = _child('TASK_UTILS', 'fvgpt.models')
METRICS = _child('METRICS', 'fvgpt.evaluation')
EVALUATORS = _child('EVALUATORS', 'fvgpt.evaluation')
VISUALIZERS = _child('VISUALIZERS', 'fvgpt.engine')
VISBACKENDS = _child('VISBACKENDS', 'fvgpt.engine')
FUNCTIONS = _child('FUNCTIONS', 'fvgpt.datasets', parent=MMENGINE_FUNCTIONS)
