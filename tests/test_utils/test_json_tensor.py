"""Plain metadata stored as a uint8 tensor in a state dict (fvgpt/utils/json_tensor.py)."""
import json

import torch

from fvgpt.utils import decode_json_tensor, encode_json_tensor

RECIPE = {'type': 'CoOp', 'n_ctx': 4, 'classes': ['café', 'Ω'], 'scale': 0.5, 'flag': None}


def test_the_tensor_holds_the_utf8_json_text():
    tensor = encode_json_tensor(RECIPE)
    assert tensor.dtype == torch.uint8 and tensor.dim() == 1
    assert bytes(tensor.tolist()) == json.dumps(RECIPE).encode('utf-8')
    assert decode_json_tensor(tensor) == RECIPE


def test_round_trip_through_a_weights_only_checkpoint_and_a_cast(tmp_path):
    path = tmp_path / 'ckpt.pth'
    torch.save({'meta': encode_json_tensor(RECIPE)}, path)
    loaded = torch.load(path, weights_only=True)['meta']
    assert decode_json_tensor(loaded) == RECIPE
    # a broadcast or a load may hand it back in another dtype
    assert decode_json_tensor(loaded.to(torch.int64)) == RECIPE
