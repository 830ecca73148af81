# FVG-PT (stage 2) on a frozen PromptSRC backbone (models/promptsrc_vit_b16.py, as
# configs/promptsrc/*), the authors' stage-2 recipe configs/trainers/FVGPT_PromptSRC/
# vit_b16_c2_ep10_batch32_4+4ctx.yaml: SGD lr 0.0025, batch 32, 10 epochs, cosine with 1 constant
# warm-up epoch (schedules/promptsrc_b2n.py), random resized crop (0.08, 1) + flip of image and
# mask (fvgpt_heads.py). They ran it in fp16 (PREC); here fp32, or `tools/train.py --amp`.
# The Gaussian prompt aggregation is PromptSRC's stage-1 recipe: stage 2 trains FVG-PT's heads
# without it (the authors' FVG-PT trainer is not public; their yaml keeps the GPA fields).
_base_ = [
    '../../_base_/models/promptsrc_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/promptsrc_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
train_dataloader = dict(
    batch_size=32,
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
