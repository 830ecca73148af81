# FVG-PT (stage 2) on CoOp, base-to-new on Caltech101.
# Stage 1 is configs/coop/coop_b2n_caltech101.py:
# train it first; this config loads its checkpoint (model.backbone_ckpt) and trains the FDC
# adapters and the two gates on the base classes.
#   python tools/train.py configs/coop/coop_b2n_caltech101.py
#   python tools/train.py configs/fvgpt/coop_b2n_caltech101.py
# Testing scores z_fdc on base classes and z_pc on new ones (the dataset's subsample decides):
#   python tools/test.py configs/fvgpt/coop_b2n_caltech101.py \
#       work_dirs/fvgpt_coop_b2n_caltech101/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['../coop/coop_b2n_caltech101.py', './_base_/fvgpt_coop.py']

stage1_config = 'configs/coop/coop_b2n_caltech101.py'
work_dir = 'work_dirs/fvgpt_coop_b2n_caltech101'  # not stage 1's (same config name)
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    # stage 1's work dir (its last checkpoint) or one of its checkpoint files
    backbone_ckpt='work_dirs/coop_b2n_caltech101',
    stage1_config=stage1_config,
    **_base_.fvgpt_model)
# Base classes only (as stage 1), with the foreground masks; val and test need none.
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
