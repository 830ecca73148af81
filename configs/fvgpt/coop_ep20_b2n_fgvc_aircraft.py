# FVG-PT (stage 2) on CoOp, base-to-new on FGVCAircraft: JREion/FVG-PT
# configs/trainers/FVGPT_CoOp/vit_b16_ep20.yaml: CLIP ViT-B/16; SGD lr 0.002, batch 4, 20 epochs,
# cosine after 1 constant warm-up epoch at 1e-5 (the optimizer block of stage 1's yaml);
# transforms ["random_resized_crop", "random_flip", "normalize"] on image and mask.
# Stage 1, trained first: configs/coop/coop_ep20_b2n_fgvc_aircraft.py
#   python tools/train.py configs/coop/coop_ep20_b2n_fgvc_aircraft.py
#   python tools/train.py configs/fvgpt/coop_ep20_b2n_fgvc_aircraft.py
_base_ = ['../coop/coop_ep20_b2n_fgvc_aircraft.py', './_base_/fvgpt_coop.py']

stage1_config = 'configs/coop/coop_ep20_b2n_fgvc_aircraft.py'
work_dir = 'work_dirs/fvgpt_coop_ep20_b2n_fgvc_aircraft'  # not stage 1's (same config name)
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='work_dirs/coop_ep20_b2n_fgvc_aircraft',
    stage1_config=stage1_config,
    **_base_.fvgpt_model)
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
