# FVG-PT (stage 2) on a frozen CoCoOp backbone (models/cocoop_vit_b16.py, as configs/cocoop/*).
# The FVG-PT authors ship no FVGPT_CoCoOp yaml; CoCoOp is CoOp with a meta-net, so stage 2 runs
# their CoOp-family stage-2 recipe, configs/trainers/FVGPT_CoOp/vit_b16_ep10.yaml (the same block
# as FVGPT_KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml): SGD lr 0.0035, batch 4, 10 epochs, cosine
# with 1 constant warm-up epoch (schedules/coop_b2n.py), random resized crop (0.08, 1) + flip of
# image and mask (fvgpt_heads.py). Each image's class text comes from its own CLIP feature, the
# foreground view's from its own. A leaf adds the dataset and stage 1.
_base_ = [
    '../../_base_/models/cocoop_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/coop_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
