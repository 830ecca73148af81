"""ToyCLIP: the small open_clip model pretrained on the toy world, and its zero-shot evaluation.

The architecture is an ordinary open_clip ``CLIP`` (ViT image tower, transformer text tower, CLIP's
BPE tokenizer) described by ``fvgpt/models/clip/model_configs/toyclip-vit-t8.json``; :func:`register_toyclip` adds
that config to open_clip, after which the shipped weights load exactly like real ones::

    import open_clip
    from fvgpt.toyworld import TOYCLIP_CHECKPOINT, register_toyclip
    register_toyclip()
    model = open_clip.create_model('toyclip-vit-t8', pretrained=TOYCLIP_CHECKPOINT)

The checkpoint is a plain state dict stored in fp16 (open_clip copies it into the fp32 model).
The text tower is narrow (width 64) because CLIP's 49408-token embedding table dominates the
size of so small a model.
"""
import os.path as osp
from typing import Dict, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD

TOYCLIP_MODEL = 'toyclip-vit-t8'
# With fvgpt's other open_clip configs, which fvgpt.models.clip registers with open_clip.
TOYCLIP_CONFIG = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'models', 'clip',
                          'model_configs', f'{TOYCLIP_MODEL}.json')
#: The shipped weights, in the repository's ``checkpoints/`` folder.
TOYCLIP_CHECKPOINT = osp.abspath(
    osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', 'checkpoints',
             'toyclip_vit_t8.pt'))

#: CLIP's normalization, in [0, 1] RGB.
CLIP_MEAN, CLIP_STD = OPENAI_DATASET_MEAN, OPENAI_DATASET_STD


def register_toyclip() -> str:
    """Registers the ToyCLIP model config with open_clip (idempotent).

    Returns:
        str: the model name to pass to ``open_clip.create_model``, ``'toyclip-vit-t8'``.
    """
    import open_clip
    if TOYCLIP_MODEL not in open_clip.list_models():
        if not osp.isfile(TOYCLIP_CONFIG):
            raise FileNotFoundError(
                f'The ToyCLIP model config {TOYCLIP_CONFIG} is missing: the fvgpt installation '
                'is incomplete (install the repository with `pip install -e .`).')
        open_clip.add_model_config(TOYCLIP_CONFIG)
    return TOYCLIP_MODEL


def load_toyclip(checkpoint: Optional[str] = TOYCLIP_CHECKPOINT,
                 device: str = 'cpu') -> torch.nn.Module:
    """Builds ToyCLIP with open_clip, loads weights from a local file and sets eval mode.

    Args:
        checkpoint (str, optional): state-dict file; None gives random weights. Defaults to the
            shipped checkpoint.
        device (str): device of the model. Defaults to 'cpu'.

    Returns:
        torch.nn.Module: the open_clip ``CLIP`` model.
    """
    import open_clip
    name = register_toyclip()
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(
            f'ToyCLIP checkpoint {checkpoint} not found. The repository ships '
            f'checkpoints/toyclip_vit_t8.pt; retrain it with '
            f'`python tools/toyworld/pretrain_clip.py --out {checkpoint}`.')
    model = open_clip.create_model(name, pretrained=checkpoint, device=device)
    return model.eval()


def save_state_dict(model: torch.nn.Module, path: str, half: bool = True) -> None:
    """Saves a model's state dict as open_clip loads it, floating tensors in fp16 if ``half``."""
    state = {
        k: (v.detach().half() if half and v.is_floating_point() else v.detach()).cpu().clone()
        for k, v in model.state_dict().items()
    }
    torch.save(state, path)


def images_to_tensor(images: np.ndarray, image_size: int) -> torch.Tensor:
    """Normalizes uint8 RGB images ``(N, H, W, 3)`` the way CLIP expects.

    Images of another size are resized (bicubic) to ``image_size``; toy-world images already
    have the model's size.
    """
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 255.0
    if x.shape[-1] != image_size or x.shape[-2] != image_size:
        x = F.interpolate(x, size=(image_size, image_size), mode='bicubic', align_corners=False)
    mean = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CLIP_STD).view(1, 3, 1, 1)
    return (x - mean) / std


@torch.no_grad()
def text_classifier(model: torch.nn.Module, classnames: Sequence[str],
                    template: str = 'a photo of a {}.') -> torch.Tensor:
    """L2-normalized text features ``(C, d)`` of the hand-made prompt of each class."""
    import open_clip
    tokenizer = open_clip.get_tokenizer(register_toyclip())
    device = next(model.parameters()).device
    tokens = tokenizer([template.format(c) for c in classnames]).to(device)
    return F.normalize(model.encode_text(tokens).float(), dim=-1)


@torch.no_grad()
def zeroshot_predict(model: torch.nn.Module,
                     images: np.ndarray,
                     classnames: Sequence[str],
                     template: str = 'a photo of a {}.',
                     batch_size: int = 256) -> np.ndarray:
    """Zero-shot class predictions of CLIP for uint8 RGB images ``(N, H, W, 3)``.

    Returns:
        np.ndarray: ``(N,)`` predicted indices into ``classnames``.
    """
    device = next(model.parameters()).device
    text = text_classifier(model, classnames, template)
    image_size = model.visual.image_size
    image_size = image_size[0] if isinstance(image_size, (tuple, list)) else image_size
    preds = []
    for start in range(0, len(images), batch_size):
        x = images_to_tensor(images[start:start + batch_size], image_size).to(device)
        feats = F.normalize(model.encode_image(x).float(), dim=-1)
        preds.append((feats @ text.T).argmax(dim=-1).cpu())
    return torch.cat(preds).numpy()


def zeroshot_report(model: torch.nn.Module,
                    images: np.ndarray,
                    labels: np.ndarray,
                    classnames: Sequence[str],
                    num_base: int,
                    template: str = 'a photo of a {}.') -> Dict[str, float]:
    """Zero-shot accuracies (%) over all classes and in the base-to-new protocol.

    ``all`` classifies among every class; ``base`` / ``new`` classify the images of the first
    ``num_base`` / remaining labels among those classes only (CoOp's B2N evaluation); ``hm`` is
    their harmonic mean.
    """
    labels = np.asarray(labels)
    out = {'all': 100.0 * float((zeroshot_predict(model, images, classnames, template) ==
                                 labels).mean())}
    for name, keep in (('base', labels < num_base), ('new', labels >= num_base)):
        offset = 0 if name == 'base' else num_base
        names = classnames[:num_base] if name == 'base' else classnames[num_base:]
        if keep.any():
            pred = zeroshot_predict(model, images[keep], names, template)
            out[name] = 100.0 * float((pred == labels[keep] - offset).mean())
    if out.get('base') and out.get('new'):
        out['hm'] = 2 * out['base'] * out['new'] / (out['base'] + out['new'])
    return out
