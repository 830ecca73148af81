# FVG-PT (stage 2) on a frozen PromptSRC backbone for few-shot classification (all classes,
# K shots), the authors' stage-2 recipe JREion/FVG-PT configs/trainers/FVGPT_PromptSRC/
# vit_b16_c2_ep50_batch4_4+4ctx_few_shot.yaml: the backbone of configs/promptsrc/
# promptsrc_fewshot_*.py, SGD lr 0.005, batch 8, 50 epochs, cosine with 1 constant warm-up epoch
# (schedules/promptsrc_fewshot.py), random resized crop (0.08, 1) + flip of image and mask
# (fvgpt_heads.py). fp16 in the yaml; here fp32, or `--amp`. Its TEST.FINAL_MODEL "best_val":
# validation after every epoch, the best epoch's checkpoint is tested (schedules/
# promptsrc_fewshot.py, default_hooks below). No Gaussian prompt aggregation in stage 2.
_base_ = [
    '../../_base_/models/promptsrc_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/promptsrc_fewshot.py', '../../_base_/default_runtime.py',
    './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
default_hooks = dict(checkpoint=_base_.best_val_checkpoint)
train_dataloader = dict(
    batch_size=8,
    dataset=dict(subsample='all', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
val_dataloader = dict(dataset=dict(subsample='all'))
test_dataloader = dict(dataset=dict(subsample='all'))
