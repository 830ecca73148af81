# FVG-PT (stage 2) on a frozen KgCoOp backbone (models/kgcoop_vit_b16.py, as configs/kgcoop/*), the
# authors' stage-2 recipe configs/trainers/FVGPT_KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml: SGD lr
# 0.0035, batch 4, 10 epochs, cosine with 1 constant warm-up epoch (schedules/kgcoop_b2n.py),
# random resized crop (0.08, 1) + flip of image and mask (fvgpt_heads.py). They ran it in fp16
# (PREC, their default); here fp32, or `tools/train.py --amp`. A leaf adds the dataset and stage 1.
_base_ = [
    '../../_base_/models/kgcoop_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/kgcoop_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
