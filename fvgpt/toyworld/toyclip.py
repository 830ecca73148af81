"""ToyCLIP: the small open_clip model of the toy world, built and loaded like any CLIP of fvgpt.

The architecture is an ordinary open_clip ``CLIP`` (ViT image tower, transformer text tower,
CLIP's BPE tokenizer) described by ``fvgpt/models/clip/model_configs/toyclip-vit-t8.json``, which
``fvgpt.models.clip`` registers with open_clip together with fvgpt's other model configs. The
shipped weights load through the :class:`~fvgpt.models.OpenCLIP` wrapper exactly like real ones::

    from fvgpt.models import OpenCLIP
    from fvgpt.toyworld import TOYCLIP_CHECKPOINT, TOYCLIP_MODEL
    clip = OpenCLIP(TOYCLIP_MODEL, pretrained=TOYCLIP_CHECKPOINT)

The checkpoint is a plain state dict stored in fp16 (open_clip copies it into the fp32 model).
The text tower is narrow (width 64) because CLIP's 49408-token embedding table dominates the
size of so small a model.
"""
import os.path as osp
from typing import Optional

import torch

from fvgpt.models.clip.open_clip_wrapper import OpenCLIP

TOYCLIP_MODEL = 'toyclip-vit-t8'
#: The shipped weights, in the repository's ``checkpoints/`` folder.
TOYCLIP_CHECKPOINT = osp.abspath(
    osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', 'checkpoints', 'toyclip_vit_t8.pt'))


def build_toyclip(checkpoint: Optional[str] = TOYCLIP_CHECKPOINT, frozen: bool = True) -> OpenCLIP:
    """ToyCLIP in the ``OpenCLIP`` wrapper.

    Args:
        checkpoint (str, optional): state-dict file; None gives random weights (pretraining
            starts there). Defaults to the shipped checkpoint.
        frozen (bool): frozen weights in eval mode (False for pretraining). Defaults to True.

    Returns:
        OpenCLIP: the wrapper; ``.model`` is the open_clip ``CLIP``.
    """
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'ToyCLIP checkpoint {checkpoint} not found. The repository ships '
                                f'checkpoints/toyclip_vit_t8.pt; retrain it with '
                                f'`python tools/toyworld/pretrain_clip.py --out {checkpoint}`.')
    return OpenCLIP(TOYCLIP_MODEL, pretrained=checkpoint, frozen=frozen)


def save_state_dict(model: torch.nn.Module, path: str, half: bool = True) -> None:
    """Saves a model's state dict as open_clip loads it, floating tensors in fp16 if ``half``."""
    state = {
        k: (v.detach().half() if half and v.is_floating_point() else v.detach()).cpu().clone()
        for k, v in model.state_dict().items()
    }
    torch.save(state, path)
