"""Plain metadata inside a state dict: JSON bytes in a uint8 tensor.

A state-dict entry that is a tensor loads with ``torch.load(weights_only=True)`` and survives
mmengine's DDP start-up, which broadcasts every entry of the model's state dict.
"""
import json
from typing import Any

import torch


def encode_json_tensor(obj: Any) -> torch.Tensor:
    """``obj`` (JSON-serializable) as a uint8 tensor of its UTF-8 JSON text."""
    return torch.tensor(list(json.dumps(obj).encode('utf-8')), dtype=torch.uint8)


def decode_json_tensor(tensor: torch.Tensor) -> Any:
    """The object stored by :func:`encode_json_tensor`."""
    return json.loads(bytes(tensor.to(torch.uint8).tolist()).decode('utf-8'))
