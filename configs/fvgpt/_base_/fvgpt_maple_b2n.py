# FVG-PT (stage 2) on a frozen MaPLe backbone (models/maple_vit_b16.py, as configs/maple/*). The
# FVG-PT authors ship no FVGPT_MaPLe yaml; each FVGPT_<backbone> yaml they ship repeats its
# backbone's stage-1 OPTIM block (KgCoOp, PromptSRC, MMRL), so this runs MaPLe's own
# (vit_b16_c2_ep5_batch4_2ctx.yaml, schedules/maple_b2n.py): SGD lr 0.0035, batch 4, 5 epochs,
# cosine with 1 constant warm-up epoch, random resized crop (0.08, 1) + flip of image and mask
# (fvgpt_heads.py). MaPLe's authors ran fp16 (PREC); here fp32, or `tools/train.py --amp`.
_base_ = [
    '../../_base_/models/maple_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/maple_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
