"""A model from a config and a checkpoint, ready for analysis (eval mode, class list set)."""
import os.path as osp
import re
from typing import Optional

import torch
from mmengine.config import Config

from fvgpt.registry import MODELS
from fvgpt.utils import load_checkpoint_file

NO_CHECKPOINT = ('none', 'None', '-', '')


def resolve_checkpoint(path: str) -> str:
    """A checkpoint file from a file or a work dir (its ``last_checkpoint``)."""
    if osp.isdir(path):
        last = osp.join(path, 'last_checkpoint')
        if not osp.isfile(last):
            raise FileNotFoundError(f'{path} is a directory without a "last_checkpoint" file: '
                                    'give a checkpoint file or a finished work dir.')
        with open(last) as f:
            ckpt = f.read().strip()
        path = ckpt if osp.isfile(ckpt) else osp.join(path, osp.basename(ckpt))
    if not osp.isfile(path):
        raise FileNotFoundError(f'Checkpoint not found: {path}')
    return path


def load_analysis_model(cfg: Config,
                        checkpoint: Optional[str],
                        device: str = 'cpu') -> torch.nn.Module:
    """Builds ``cfg.model``, loads ``checkpoint`` (weights only) and puts it in eval mode.

    Args:
        cfg (Config): the model's config (fvgpt's registries as the default scope).
        checkpoint (str, optional): a checkpoint file or work dir; None or ``'none'`` only for
            models with nothing trained (zero-shot CLIP).
        device (str): where the model runs. Defaults to ``'cpu'``.
    """
    model = MODELS.build(cfg.model)
    if checkpoint in NO_CHECKPOINT or checkpoint is None:
        tuned = [n for n, p in model.named_parameters() if p.requires_grad]
        if tuned:
            raise ValueError(f'{type(model).__name__} has trained parameters ({tuned[:3]}...): '
                             'give its checkpoint (only models with nothing trained, such as '
                             'zero-shot CLIP, take "none").')
    else:
        ckpt = load_checkpoint_file(resolve_checkpoint(checkpoint))
        state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else None
        if not isinstance(state, dict):
            raise ValueError(f'{checkpoint} holds no state dict.')
        state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
        model.load_state_dict(state, strict=True)
    return model.to(device).eval()


def checkpoint_epoch(path: str) -> Optional[int]:
    """The epoch a checkpoint was written at (its ``meta.epoch``, else ``epoch_<N>`` in the
    file name)."""
    ckpt = load_checkpoint_file(resolve_checkpoint(path))
    epoch = (ckpt.get('meta') or {}).get('epoch') if isinstance(ckpt, dict) else None
    if epoch is None:
        match = re.search(r'epoch_(\d+)', osp.basename(path))
        epoch = int(match.group(1)) if match else None
    return None if epoch is None else int(epoch)


def set_class_list_from(model: torch.nn.Module, dataset) -> None:
    """Sets the model's class list from the dataset's metainfo, as ``ClassListHook`` does."""
    meta = dataset.metainfo
    model.set_class_list(meta['classes'],
                         meta.get('templates') or ['a photo of a {}.'], meta.get('subsample'))


def zero_shot_cfg(cfg: Config) -> Config:
    """A config of zero-shot CLIP with the CLIP of ``cfg``'s model (FVG-PT: its backbone's)."""
    model = cfg.model
    clip = model.get('clip') or (model.get('backbone') or {}).get('clip')
    if clip is None:
        raise KeyError("The config's model has no `clip` (nor `backbone.clip`): cannot build "
                       'the zero-shot CLIP it starts from.')
    out = Config(dict(cfg.to_dict()))
    out.model = dict(type='ZeroShotCLIP', clip=dict(clip))
    return out
