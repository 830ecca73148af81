"""FVG-PT feeds its inputs to the frozen backbone: both must normalize them alike.

(Frozen weights stay out of checkpoints by ``fvgpt.models.utils.freeze``.)
"""
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
    same = a[2] == b[2] and all(abs(x - y) < 1e-4 for x, y in zip(a[0] + a[1], b[0] + b[1]))
    if not same:
        raise ValueError(
            f"FVG-PT's data_preprocessor normalizes (mean, std, to_rgb) = {a}, its backbone's "
            f'= {b}: they must agree, since FVG-PT feeds its inputs to the backbone.')
