"""Helpers of the toy-world CLI tests: configs, a small toy world, running a tool as a user
would (a subprocess in the repository root)."""
import os
import os.path as osp
import subprocess
import sys
from typing import List, Optional

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: CoOp (stage 1) on the toy world with the tiny random CLIP, without validation: 3 base
#: classes x 4 shots, batch 2 = 6 iterations per epoch.
STAGE1 = """
_base_ = [{runtime!r}]
data_root = {data_root!r}
model = dict(
    type='CoOp',
    clip=dict(type='OpenCLIP', model_name='fvgpt-tiny-vit', pretrained=None),
    prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init=None))
data = dict(
    type='CoOpSplitDataset', data_root=data_root, dataset_dir='toyworld',
    split_file='split_zhou_ToyWorld.json', templates=['a photo of a {{}}.'],
    dataset_name='toyworld', num_shots=4, seed=1)
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
    batch_size=2, num_workers={workers}, persistent_workers={workers} > 0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(**data, split='train', subsample='base', pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=8, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**data, split='test', subsample='base', pipeline=test_pipeline))
test_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))
test_cfg = dict()
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
train_cfg = dict(by_epoch=True, max_epochs={epochs})
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(max_keep_ckpts=5))
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
"""

#: FVG-PT (stage 2) on the stage-1 config above, as configs/fvgpt/coop_b2n_<dataset>.py.
STAGE2 = """
_base_ = [{stage1!r}, {fvgpt_base!r}]
model = dict(_delete_=True, type='FVGPT', backbone=_base_.model,
             backbone_ckpt={stage1_ckpt!r}, stage1_config={stage1!r}, **_base_.fvgpt_model)
fvgpt_train_pipeline = [
    dict(t, scale=32, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop'
    else t for t in _base_.fvgpt_train_pipeline]
train_dataloader = dict(dataset=dict(with_mask=True, pipeline=fvgpt_train_pipeline))
optim_wrapper = dict(optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=0.0))
train_cfg = dict(max_epochs={epochs})
"""


def run_tool(args: List[str],
             ok: bool = True,
             env: Optional[dict] = None,
             timeout: int = 300) -> subprocess.CompletedProcess:
    """Runs ``python <args>`` in the repository root; asserts the exit status (0 when ``ok``,
    else not 0) and returns the process with ``out`` = stdout + stderr."""
    full_env = dict(
        os.environ,
        HF_HUB_OFFLINE='1',
        OMP_NUM_THREADS='1',
        MKL_NUM_THREADS='1',
        PYTHONPATH=REPO,
        **(env or {}))
    proc = subprocess.run(
        [sys.executable] + args,
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout)
    proc.out = proc.stdout + proc.stderr
    assert (proc.returncode == 0) == ok, f'exit {proc.returncode}\n' + proc.out[-6000:]
    return proc


def write_stage1(path: str, data_root: str, epochs: int = 3, workers: int = 0) -> str:
    """The stage-1 config; ``workers`` > 0 makes them persistent (tests in this process use
    none: a persistent worker left by an earlier run in the process slows later runs)."""
    with open(path, 'w') as f:
        f.write(
            STAGE1.format(
                runtime=osp.join(REPO, 'configs/_base_/default_runtime.py'),
                data_root=data_root,
                epochs=epochs,
                workers=workers))
    return path


def write_stage2(path: str, stage1: str, stage1_ckpt: str, epochs: int = 2) -> str:
    with open(path, 'w') as f:
        f.write(
            STAGE2.format(
                stage1=stage1,
                stage1_ckpt=stage1_ckpt,
                epochs=epochs,
                fvgpt_base=osp.join(REPO, 'configs/fvgpt/_base_/fvgpt_heads.py')))
    return path


def make_toyworld(data_root: str) -> str:
    """3 colours x 2 shapes (3 base classes), 32 px, 4 train / 1 val / 2 test images per class,
    a quarter of the train masks degraded."""
    from fvgpt.toyworld.world import ToyWorldConfig
    from fvgpt.toyworld.writer import write_toyworld
    write_toyworld(
        data_root,
        ToyWorldConfig(
            image_size=32,
            colours=('red', 'green', 'blue'),
            shapes=('circle', 'square'),
            num_train=4,
            num_val=1,
            num_test=2,
            spurious_corr=0.5,
            degraded_mask_ratio=0.25),
        progress=False)
    return data_root


def call_tool(tool: str, *args: str):
    """Runs ``tools/<tool>`` with ``args`` in this process, as ``python tools/<tool> args``
    would from the repository root (faster than a subprocess: the imports are done). An error
    propagates as the exception the user would see."""
    import runpy
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = [f'tools/{tool}', *args]
    os.chdir(REPO)
    try:
        return runpy.run_path(osp.join(REPO, 'tools', tool), run_name='__main__')
    finally:
        sys.argv = argv
        os.chdir(cwd)


def log_text(work_dir: str) -> str:
    """The text of the newest run log in ``work_dir`` (``<timestamp>/<timestamp>.log``)."""
    runs = sorted(
        d for d in os.listdir(work_dir) if d[:1].isdigit() and osp.isdir(osp.join(work_dir, d)))
    with open(osp.join(work_dir, runs[-1], runs[-1] + '.log')) as f:
        return f.read()
