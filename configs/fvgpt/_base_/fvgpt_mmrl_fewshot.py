# FVG-PT (stage 2) on a frozen MMRL backbone for few-shot classification (all classes, K shots),
# the authors' stage-2 recipe JREion/FVG-PT configs/trainers/FVGPT_MMRL/vit_b16_few_shot.yaml: the
# backbone of configs/mmrl/mmrl_fewshot_*.py, AdamW lr 1e-3, batch 32, the epochs and warm-up of
# schedules/mmrl_fewshot.py, random resized crop keeping (0.5, 1) of the area + flip of image and
# mask. PREC "amp" in the yaml; here fp32, or `tools/train.py --amp` (their setting).
_base_ = [
    '../../_base_/models/mmrl_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/mmrl_fewshot.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=dict(_base_.model, reg_weight=0.5,
                  fused_inference='always'),  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
fvgpt_mmrl_train_pipeline = [
    dict(t, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.fvgpt_train_pipeline
]
train_dataloader = dict(
    batch_size=32,
    dataset=dict(subsample='all', with_mask=True, pipeline=fvgpt_mmrl_train_pipeline))
val_dataloader = dict(dataset=dict(subsample='all'))
test_dataloader = dict(dataset=dict(subsample='all'))
