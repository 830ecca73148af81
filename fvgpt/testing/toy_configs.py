"""A small toy world and the configs of a stage-1 backbone and of FVG-PT (stage 2) on it, on the
tiny random CLIP: what the end-to-end and command-line tests train through ``tools/train.py``.

The stage-2 config is built as ``configs/fvgpt/<backbone>_b2n_<dataset>.py`` builds it: the
stage-1 config and ``configs/fvgpt/_base_/fvgpt_heads.py`` as bases, the backbone wrapped in
``FVGPT``; only the crop size is shrunk to the toy world's 32 px.
"""
import os.path as osp
from typing import Optional, Sequence

from .models import tiny_coop_cfg
from .tool_runs import REPO

#: The stage-1 optimizer of the command-line tests (CoOp's SGD with weight decay).
SGD = dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4)
#: The stage-2 optimizer: the tiny CLIP is random, its logit scale (1 / 0.07) is far from
#: s_fdc = 100, so z_fdc starts far from z_full and L_dist is large and stiff at first; Adam's
#: bounded steps go down smoothly.
ADAMW = dict(type='AdamW', lr=1e-3, weight_decay=0.0)

STAGE1 = """_base_ = [{runtime!r}]
data_root = {data_root!r}
model = {model!r}
data = dict(
    type='CoOpSplitDataset', data_root=data_root, dataset_dir='toyworld',
    split_file='split_zhou_ToyWorld.json', templates=['a photo of a {{}}.'],
    dataset_name='toyworld', num_shots={num_shots}, seed=1)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PairedRandomResizedCrop', scale=32, crop_ratio_range=(0.5, 1.0),
         interpolation='bicubic'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='mmpretrain.PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='mmpretrain.ResizeEdge', scale=32, edge='short', interpolation='bicubic'),
    dict(type='mmpretrain.CenterCrop', crop_size=32),
    dict(type='mmpretrain.PackInputs'),
]
train_dataloader = dict(
    batch_size={batch_size}, num_workers={workers}, persistent_workers={workers} > 0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**data, split='train', subsample='base', pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=8, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**data, split='test', subsample='base', pipeline=test_pipeline))
test_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))
test_cfg = dict()
optim_wrapper = dict(optimizer={optimizer!r})
train_cfg = dict(by_epoch=True, max_epochs={epochs})
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(max_keep_ckpts=5))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
"""

STAGE2 = """_base_ = [{stage1!r}, {fvgpt_base!r}]
model = dict(_delete_=True, type='FVGPT', backbone=_base_.model,
             backbone_ckpt={stage1_ckpt!r}, stage1_config={stage1!r}, **_base_.fvgpt_model)
fvgpt_train_pipeline = [
    dict(t, scale=32, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop'
    else t for t in _base_.fvgpt_train_pipeline]
train_dataloader = dict(dataset=dict(with_mask=True, on_missing={on_missing!r},
                                     pipeline=fvgpt_train_pipeline))
"""


def make_toyworld(data_root: str, num_train: int = 4, num_test: int = 2) -> str:
    """Writes a toy world: 3 colours x 2 shapes (3 base and 3 new classes), 32 px, 1 val image
    per class, a quarter of the train masks degraded.

    Args:
        data_root (str): the folder to write (it gets ``toyworld/``).
        num_train (int): train images per class. Defaults to 4.
        num_test (int): test images per class. Defaults to 2.

    Returns:
        str: ``data_root``.
    """
    from fvgpt.toyworld.world import ToyWorldConfig
    from fvgpt.toyworld.writer import write_toyworld
    write_toyworld(
        data_root,
        ToyWorldConfig(
            image_size=32,
            colours=('red', 'green', 'blue'),
            shapes=('circle', 'square'),
            num_train=num_train,
            num_val=1,
            num_test=num_test,
            spurious_corr=0.5,
            degraded_mask_ratio=0.25),
        progress=False)
    return data_root


def stage1_config(data_root: str,
                  model: Optional[dict] = None,
                  epochs: int = 3,
                  num_shots: int = 4,
                  batch_size: int = 2,
                  workers: int = 0,
                  optimizer: Optional[dict] = None,
                  hooks: Sequence[dict] = ()) -> str:
    """The text of a stage-1 config on the toy world of ``data_root``, without validation: the
    base classes, ``num_shots`` per class, tested on the base classes' test split.

    Args:
        data_root (str): the folder holding ``toyworld/`` (:func:`make_toyworld`).
        model (dict, optional): the backbone, its ``clip`` included. Defaults to CoOp with 4
            context tokens on the tiny CLIP.
        epochs (int): training epochs. Defaults to 3.
        num_shots (int): train images per class (the few-shot draw of seed 1). Defaults to 4.
        batch_size (int): train batch size. Defaults to 2 (6 iterations per epoch with 4 shots).
        workers (int): dataloader workers, persistent when > 0 (tests in this process use none:
            a persistent worker left by an earlier run in the process slows later runs).
            Defaults to 0.
        optimizer (dict, optional): the optimizer. Defaults to :data:`SGD`.
        hooks (Sequence[dict]): hooks added to the runtime's ``custom_hooks`` (a backbone
            recipe's, e.g. PromptSRC's Gaussian prompt aggregation). Defaults to none.

    Returns:
        str: the config file's text.
    """
    text = STAGE1.format(
        runtime=osp.join(REPO, 'configs/_base_/default_runtime.py'),
        data_root=data_root,
        model=tiny_coop_cfg(n_ctx=4) if model is None else model,
        num_shots=num_shots,
        batch_size=batch_size,
        workers=workers,
        optimizer=SGD if optimizer is None else optimizer,
        epochs=epochs)
    if hooks:
        text += f'custom_hooks = [*_base_.custom_hooks, *{list(hooks)!r}]\n'
    return text


def stage2_config(stage1: str,
                  stage1_ckpt: str,
                  epochs: Optional[int] = 2,
                  on_missing: str = 'error',
                  optimizer: Optional[dict] = ADAMW,
                  hooks: Optional[Sequence[dict]] = None,
                  window_size: Optional[int] = None) -> str:
    """The text of FVG-PT's config on the stage-1 config ``stage1``, trained on masks.

    Args:
        stage1 (str): the stage-1 config file.
        stage1_ckpt (str): its checkpoint, or the work dir holding it.
        epochs (int, optional): training epochs; None keeps stage 1's. Defaults to 2.
        on_missing (str): the dataset's policy for a missing mask. Defaults to ``'error'``.
        optimizer (dict, optional): the optimizer, replacing stage 1's; None keeps what the
            bases give. Defaults to :data:`ADAMW`.
        hooks (Sequence[dict], optional): ``custom_hooks`` replacing stage 1's (stage 1's extra
            hooks are its recipe, not FVG-PT's); None keeps stage 1's.
        window_size (int, optional): the log processor's window; 1 logs every iteration's
            losses. None keeps the default.

    Returns:
        str: the config file's text.
    """
    text = STAGE2.format(
        stage1=stage1,
        stage1_ckpt=stage1_ckpt,
        on_missing=on_missing,
        fvgpt_base=osp.join(REPO, 'configs/fvgpt/_base_/fvgpt_heads.py'))
    if optimizer is not None:
        text += f'optim_wrapper = dict(optimizer=dict(_delete_=True, **{optimizer!r}))\n'
    if epochs is not None:
        text += f'train_cfg = dict(max_epochs={epochs})\n'
    if hooks is not None:
        text += f'custom_hooks = {list(hooks)!r}\n'
    if window_size is not None:
        text += f'log_processor = dict(window_size={window_size})\n'
    return text


def write_stage1(path: str, data_root: str, model: Optional[dict] = None, **kwargs) -> str:
    """Writes :func:`stage1_config` (``model`` and ``kwargs`` are its options) to ``path``;
    returns ``path``."""
    with open(path, 'w') as f:
        f.write(stage1_config(data_root, model, **kwargs))
    return path


def write_stage2(path: str, stage1: str, stage1_ckpt: str, **kwargs) -> str:
    """Writes :func:`stage2_config` (``kwargs`` are its options) to ``path``; returns ``path``."""
    with open(path, 'w') as f:
        f.write(stage2_config(stage1, stage1_ckpt, **kwargs))
    return path
