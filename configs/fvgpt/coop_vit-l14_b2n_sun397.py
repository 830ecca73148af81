# FVG-PT (stage 2) on CoOp, base-to-new on SUN397: JREion/FVG-PT
# configs/trainers/FVGPT_CoOp/vit_l14_ep10.yaml: CLIP ViT-L/14; SGD lr 0.0035, batch 4, 10 epochs,
# cosine after 1 constant warm-up epoch at 1e-5 (the optimizer block of stage 1's yaml);
# transforms ["random_resized_crop", "random_flip", "normalize"] on image and mask.
# Stage 1, trained first: configs/coop/coop_vit-l14_b2n_sun397.py
#   python tools/train.py configs/coop/coop_vit-l14_b2n_sun397.py
#   python tools/train.py configs/fvgpt/coop_vit-l14_b2n_sun397.py
_base_ = ['../coop/coop_vit-l14_b2n_sun397.py', './_base_/fvgpt_coop.py']

stage1_config = 'configs/coop/coop_vit-l14_b2n_sun397.py'
work_dir = 'work_dirs/fvgpt_coop_vit-l14_b2n_sun397'  # not stage 1's (same config name)
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='work_dirs/coop_vit-l14_b2n_sun397',
    stage1_config=stage1_config,
    **_base_.fvgpt_model)
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
