# FVG-PT (stage 2) on a frozen PromptSRC backbone for cross-dataset transfer and domain
# generalization (trained on all ImageNet classes), the authors' stage-2 recipe JREion/FVG-PT
# configs/trainers/ FVGPT_PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml: the backbone
# of configs/promptsrc/promptsrc_xd_imagenet.py (prompts to depth 3), SGD lr 0.0035, batch 4, 5
# epochs, cosine with 1 constant warm-up epoch (schedules/promptsrc_xd.py), random resized crop
# (0.08, 1) + flip of image and mask (fvgpt_heads.py). fp16 in the yaml; here fp32, or `--amp`. As
# in B2N, stage 2 trains FVG-PT's heads without the Gaussian prompt aggregation.
_base_ = [
    '../../_base_/models/promptsrc_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/promptsrc_xd.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    # stage 1's model (promptsrc_xd_imagenet.py), frozen
    backbone=dict(
        _base_.model,
        prompt_learner=dict(_base_.model.prompt_learner, depth_text=3, depth_vision=3)),
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
train_dataloader = dict(
    batch_size=4,
    dataset=dict(subsample='all', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
val_dataloader = dict(dataset=dict(subsample='all'))
test_dataloader = dict(dataset=dict(subsample='all'))
