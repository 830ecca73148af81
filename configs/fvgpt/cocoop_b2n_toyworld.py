# FVG-PT (stage 2) on CoCoOp in the toy world, with ToyCLIP; the stage-2 recipe of
# fvgpt/_base_/fvgpt_cocoop_b2n.py (the authors' FVGPT_CoOp yaml) at the toy world's 64 px.
#   python tools/train.py configs/cocoop/cocoop_b2n_toyworld.py
#   python tools/train.py configs/fvgpt/cocoop_b2n_toyworld.py
#   python tools/test.py configs/fvgpt/cocoop_b2n_toyworld.py \
#       work_dirs/fvgpt_cocoop_b2n_toyworld/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
# The masks are read from the toy world's mask/ folder (the generator's), or from the one given
# by train_dataloader.dataset.mask_root (the demo's segmenter-made masks).
_base_ = [
    '../_base_/models/cocoop_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/coop_b2n.py', '../_base_/default_runtime.py', './_base_/fvgpt_toyworld.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/cocoop_b2n_toyworld, where stage 1 writes
    stage1_config='configs/cocoop/cocoop_b2n_toyworld.py',
    **_base_.fvgpt_model)
train_dataloader = dict(
    batch_size=4,
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_toy_train_pipeline))
work_dir = 'work_dirs/fvgpt_cocoop_b2n_toyworld'  # not stage 1's (same config name)
