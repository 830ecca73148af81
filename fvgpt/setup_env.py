"""Imports every fvgpt package (which registers its components), allows numpy's arrays in
weights-only checkpoints and sets the default scope.

Above every layer it imports in the package's import graph (only ``fvgpt.apis``, tools and tests
import it), outside ``fvgpt.utils``, which every layer imports.
"""
import datetime
import warnings

from mmengine.registry import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Registers all fvgpt components into the ``fvgpt`` registries.

    Also calls :func:`fvgpt.utils.register_safe_globals` (mmengine's Runner loads checkpoints
    with ``torch.load(weights_only=True)``), so that this is the one place doing it.

    Args:
        init_default_scope (bool): also make ``fvgpt`` the current default scope, so that
            ``type='CoOp'`` resolves in fvgpt's registries first. Defaults to True.
    """
    import fvgpt.datasets  # noqa: F401
    import fvgpt.engine  # noqa: F401
    import fvgpt.evaluation  # noqa: F401
    import fvgpt.fileio  # noqa: F401
    import fvgpt.models  # noqa: F401
    from fvgpt.utils.checkpoint import register_safe_globals

    register_safe_globals()

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('fvgpt', scope_name='fvgpt')
    elif current.scope_name != 'fvgpt':
        warnings.warn(f'The current default scope "{current.scope_name}" is not "fvgpt"; '
                      '`register_all_modules` makes a new default scope "fvgpt".')
        # A unique instance name: mmengine keeps one instance per name.
        name = f'fvgpt-{datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")}'
        DefaultScope.get_instance(name, scope_name='fvgpt')
