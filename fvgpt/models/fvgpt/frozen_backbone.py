"""What keeps FVG-PT's backbone frozen across checkpoints and inputs."""
import torch
import torch.nn as nn


def check_same_normalization(ours: nn.Module, backbone: nn.Module) -> None:
    """FVG-PT's inputs go into the backbone: both preprocessors must normalize alike."""

    def norm(p):
        if not getattr(p, '_enable_normalize', False):
            return None
        return (p.mean.flatten().tolist(), p.std.flatten().tolist(), bool(p.to_rgb))

    a, b = norm(ours), norm(backbone)
    if a is None or b is None:
        return
    same = a[2] == b[2] and all(
        abs(x - y) < 1e-4 for x, y in zip(a[0] + a[1], b[0] + b[1]))
    if not same:
        raise ValueError(
            f"FVG-PT's data_preprocessor normalizes (mean, std, to_rgb) = {a}, its backbone's "
            f'= {b}: they must agree, since FVG-PT feeds its inputs to the backbone.')


def drop_frozen_state(module: nn.Module, state_dict: dict, prefix: str, local_metadata) -> None:
    """State-dict hook: only what stage 2 trains goes into its checkpoints (the heads, and the
    base classes), not the frozen backbone and CLIP."""
    frozen = (prefix + 'backbone.', prefix + 'clip.')
    for key in [k for k in state_dict if k.startswith(frozen)]:
        del state_dict[key]


def fill_frozen_state(module: nn.Module, state_dict: dict, prefix: str, *args) -> None:
    """Load pre-hook: a stage-2 checkpoint has no backbone, so the one in place (stage 1's, loaded
    at construction) is filled in: nothing is reported missing and the backbone's own checks
    pass."""
    for part in ('backbone', 'clip'):
        for name, value in getattr(module, part).state_dict(keep_vars=True).items():
            state_dict.setdefault(f'{prefix}{part}.{name}',
                                  value.detach() if isinstance(value, torch.Tensor) else value)
