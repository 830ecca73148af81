# FVG-PT (stage 2) on a frozen IVLP backbone (models/ivlp_vit_b16.py, as configs/ivlp/*). The
# authors ship no FVGPT_IVLP yaml; IVLP's prompts are PromptSRC's, so this follows their
# configs/trainers/FVGPT_PromptSRC/vit_b16_c2_ep10_batch32_4+4ctx.yaml: SGD lr 0.0025, batch 32,
# 10 epochs, cosine with 1 constant warm-up epoch, random resized crop (0.08, 1) + flip of image
# and mask. They ran it in fp16 (PREC); here fp32, or `tools/train.py --amp`.
_base_ = [
    '../../_base_/models/ivlp_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/coop_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
optim_wrapper = dict(optimizer=dict(lr=0.0025))
train_dataloader = dict(
    batch_size=32,
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
