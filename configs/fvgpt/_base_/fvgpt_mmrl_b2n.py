# FVG-PT (stage 2) on a frozen MMRL backbone (models/mmrl_vit_b16.py, as configs/mmrl/*), the
# authors' stage-2 recipe configs/trainers/FVGPT_MMRL/vit_b16.yaml: AdamW lr 1e-3, batch 4, 10
# epochs, cosine with 1 constant warm-up epoch (schedules/mmrl_b2n.py), random resized crop keeping
# (0.5, 1) of the area + flip of image and mask. They ran it with PREC "amp"; here fp32, or
# `tools/train.py --amp` (their setting). FDC adapts MMRL's two image features with the one image
# adapter and fuses them by MMRL's base rule at s_fdc = 100 (MMRL's own fixed scale).
_base_ = [
    '../../_base_/models/mmrl_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/mmrl_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
fvgpt_mmrl_train_pipeline = [
    dict(t, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.fvgpt_train_pipeline
]
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=fvgpt_mmrl_train_pipeline))
