"""The small MLP both reliability gates of FVG-PT share."""
import torch
import torch.nn as nn


class GateMLP(nn.Module):
    """``Linear(in, hidden) - ReLU - Linear(hidden, 1)``: a gate's logit from its features.

    Args:
        in_features (int): number of gate features. Defaults to 3.
        hidden (int): hidden width (``gate_hidden`` of METHOD.md). Defaults to 32.
    """

    def __init__(self, in_features: int = 3, hidden: int = 32):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.act = nn.ReLU(inplace=True)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Gate logits ``(B,)`` of features ``(B, in_features)``; the gate is their sigmoid."""
        return self.fc2(self.act(self.fc1(feats))).squeeze(-1)
