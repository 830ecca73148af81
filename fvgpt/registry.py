"""Registries of fvgpt: children of mmpretrain's, in scope ``fvgpt``.

Each registry names the package that defines its components in ``locations``, so building from a
config imports them explicitly instead of relying on an import made elsewhere. A ``type`` that is in
no registry of the search path fails with the names this registry knows.
"""
from typing import Any, Optional

from mmengine.registry import Registry
from mmpretrain.registry import DATA_SAMPLERS as MMPRETRAIN_DATA_SAMPLERS
from mmpretrain.registry import DATASETS as MMPRETRAIN_DATASETS
from mmpretrain.registry import EVALUATORS as MMPRETRAIN_EVALUATORS
from mmpretrain.registry import HOOKS as MMPRETRAIN_HOOKS
from mmpretrain.registry import LOOPS as MMPRETRAIN_LOOPS
from mmpretrain.registry import METRICS as MMPRETRAIN_METRICS
from mmpretrain.registry import MODEL_WRAPPERS as MMPRETRAIN_MODEL_WRAPPERS
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS
from mmpretrain.registry import OPTIM_WRAPPERS as MMPRETRAIN_OPTIM_WRAPPERS
from mmpretrain.registry import OPTIMIZERS as MMPRETRAIN_OPTIMIZERS
from mmpretrain.registry import PARAM_SCHEDULERS as MMPRETRAIN_PARAM_SCHEDULERS
from mmpretrain.registry import TRANSFORMS as MMPRETRAIN_TRANSFORMS
from mmpretrain.registry import VISBACKENDS as MMPRETRAIN_VISBACKENDS
from mmpretrain.registry import VISUALIZERS as MMPRETRAIN_VISUALIZERS


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


MODELS = FvgptRegistry('model', parent=MMPRETRAIN_MODELS, scope='fvgpt',
                       locations=['fvgpt.models'])
MODEL_WRAPPERS = FvgptRegistry('model_wrapper', parent=MMPRETRAIN_MODEL_WRAPPERS, scope='fvgpt',
                               locations=['fvgpt.models'])
DATASETS = FvgptRegistry('dataset', parent=MMPRETRAIN_DATASETS, scope='fvgpt',
                         locations=['fvgpt.datasets'])
DATA_SAMPLERS = FvgptRegistry('data sampler', parent=MMPRETRAIN_DATA_SAMPLERS, scope='fvgpt',
                              locations=['fvgpt.datasets'])
TRANSFORMS = FvgptRegistry('transform', parent=MMPRETRAIN_TRANSFORMS, scope='fvgpt',
                           locations=['fvgpt.datasets.transforms'])
METRICS = FvgptRegistry('metric', parent=MMPRETRAIN_METRICS, scope='fvgpt',
                        locations=['fvgpt.evaluation'])
EVALUATORS = FvgptRegistry('evaluator', parent=MMPRETRAIN_EVALUATORS, scope='fvgpt',
                           locations=['fvgpt.evaluation'])
HOOKS = FvgptRegistry('hook', parent=MMPRETRAIN_HOOKS, scope='fvgpt', locations=['fvgpt.engine'])
LOOPS = FvgptRegistry('loop', parent=MMPRETRAIN_LOOPS, scope='fvgpt', locations=['fvgpt.engine'])
OPTIMIZERS = FvgptRegistry('optimizer', parent=MMPRETRAIN_OPTIMIZERS, scope='fvgpt',
                           locations=['fvgpt.engine'])
OPTIM_WRAPPERS = FvgptRegistry('optim_wrapper', parent=MMPRETRAIN_OPTIM_WRAPPERS, scope='fvgpt',
                               locations=['fvgpt.engine'])
PARAM_SCHEDULERS = FvgptRegistry('parameter scheduler', parent=MMPRETRAIN_PARAM_SCHEDULERS,
                                 scope='fvgpt', locations=['fvgpt.engine'])
VISUALIZERS = FvgptRegistry('visualizer', parent=MMPRETRAIN_VISUALIZERS, scope='fvgpt',
                            locations=['fvgpt.analysis'])
VISBACKENDS = FvgptRegistry('vis_backend', parent=MMPRETRAIN_VISBACKENDS, scope='fvgpt',
                            locations=['fvgpt.analysis'])
