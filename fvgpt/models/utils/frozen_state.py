"""The one mechanism that keeps frozen weights out of every fvgpt model's checkpoints.

:func:`freeze` marks a sub-module as frozen: no gradient, eval mode, and two state-dict hooks on
that module. Whenever the module is saved as part of an owner (the CLIP weights inside a
classifier, the stage-1 backbone inside FVG-PT), its entries are left out; whenever the owner
loads a checkpoint, the entries it lacks are filled from the module as it is, so nothing is
reported missing (and a checkpoint that does hold them still overrides them). The module's own
``state_dict()`` (called on it directly) stays complete. Frozen modules nest: each one drops and
fills its own entries.
"""
import torch
import torch.nn as nn

FROZEN_ATTR = '_fvgpt_frozen'


def freeze(module: nn.Module) -> nn.Module:
    """Freezes ``module`` in place (see the module docstring) and returns it.

    The owner must keep it in eval mode when it is switched to training (``is_frozen`` tells).
    """
    module.requires_grad_(False)
    module.eval()
    if not is_frozen(module):
        setattr(module, FROZEN_ATTR, True)
        module._register_state_dict_hook(_drop_frozen_entries)
        module._register_load_state_dict_pre_hook(_fill_frozen_entries, with_module=True)
    return module


def is_frozen(module: nn.Module) -> bool:
    """True for a module passed to :func:`freeze`."""
    return bool(getattr(module, FROZEN_ATTR, False))


def keep_frozen_in_eval(owner: nn.Module) -> None:
    """Puts every frozen sub-module of ``owner`` back into eval mode (call after ``train()``)."""
    for module in owner.modules():
        if module is not owner and is_frozen(module):
            module.eval()


def _drop_frozen_entries(module: nn.Module, state_dict: dict, prefix: str, local_metadata) -> None:
    # Only inside an owner's state dict (non-empty prefix): frozen weights come from their source
    # (CLIP's `pretrained`, the stage-1 checkpoint), checkpoints hold what was trained.
    if not prefix:
        return
    for key in [k for k in state_dict if k.startswith(prefix)]:
        del state_dict[key]


def _fill_frozen_entries(module: nn.Module, state_dict: dict, prefix: str, *args) -> None:
    if not prefix:
        return
    for name, value in module.state_dict(keep_vars=True).items():
        state_dict.setdefault(prefix + name,
                              value.detach() if isinstance(value, torch.Tensor) else value)
