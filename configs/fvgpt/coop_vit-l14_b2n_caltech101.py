# FVG-PT (stage 2) on CoOp, base-to-new on Caltech101: the authors' recipe
# FVGPT_CoOp/vit_l14_ep10.yaml (CLIP ViT-L/14; SGD lr 0.0035, batch 4, 10 epochs).
# Train stage 1 first; this loads its last checkpoint from
# work_dirs/coop_vit-l14_b2n_caltech101 (model.backbone_ckpt='auto').
#   python tools/train.py configs/coop/coop_vit-l14_b2n_caltech101.py
#   python tools/train.py configs/fvgpt/coop_vit-l14_b2n_caltech101.py
_base_ = ['./_base_/fvgpt_coop_b2n.py']
model = dict(
    backbone=dict(clip=dict(model_name='ViT-L-14')),  # stage 1's CLIP
    stage1_config='configs/coop/coop_vit-l14_b2n_caltech101.py')
train_dataloader = dict(dataset=dict(type='Caltech101'))
val_dataloader = dict(dataset=dict(type='Caltech101'))
test_dataloader = dict(dataset=dict(type='Caltech101'))
work_dir = 'work_dirs/fvgpt_coop_vit-l14_b2n_caltech101'  # not stage 1's (same config name)
