"""The Foreground Distillation Compensation (FDC) adapter: a residual bottleneck on features."""
import torch
import torch.nn as nn

from fvgpt.registry import MODELS


@MODELS.register_module()
class FDCAdapter(nn.Module):
    """``a(e) = e + Up(ReLU(Down(e)))``, ``d -> bottleneck -> d``.

    ``Up`` starts at scale ``init_scale`` (weights drawn from N(0, init_scale^2), bias 0), so the
    adapter starts near the identity and the adapted logits near the backbone's.

    Args:
        feat_dim (int): feature dimension ``d`` (CLIP's joint embedding width; FVG-PT fills it in).
        bottleneck (int): hidden width. Defaults to 64.
        init_scale (float): std of ``Up``'s initial weights (``fdc_init_scale``). Defaults to 1e-3.
    """

    def __init__(self, feat_dim: int, bottleneck: int = 64, init_scale: float = 1e-3):
        super().__init__()
        self.init_scale = init_scale
        self.down = nn.Linear(feat_dim, bottleneck)
        self.act = nn.ReLU(inplace=True)
        self.up = nn.Linear(bottleneck, feat_dim)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        self.down.reset_parameters()
        nn.init.normal_(self.up.weight, std=self.init_scale)
        nn.init.zeros_(self.up.bias)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        feats = feats.to(self.down.weight.dtype)
        return feats + self.up(self.act(self.down(feats)))
