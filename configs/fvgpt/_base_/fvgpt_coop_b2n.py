# FVG-PT (stage 2) on a frozen CoOp backbone (models/coop_vit_b16.py, as configs/coop/*), the
# authors' stage-2 recipe configs/trainers/FVGPT_CoOp/vit_b16_ep10.yaml: SGD lr 0.0035, batch 4,
# 10 epochs, cosine with 1 constant warm-up epoch (schedules/coop_b2n.py), random resized crop
# (0.08, 1) + flip of image and mask (fvgpt_heads.py). A leaf adds the dataset and stage 1.
_base_ = [
    '../../_base_/models/coop_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/coop_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    # stage 1's default work dir, work_dirs/<name of model.stage1_config> (its last checkpoint);
    # or a stage-1 work dir / checkpoint file
    backbone_ckpt='auto',
    **_base_.fvgpt_model)
# Base classes only (as stage 1), with the foreground masks; val and test need none.
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
