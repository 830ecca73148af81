# FVG-PT (stage 2) on CoOp, base-to-new on Oxford Pets: the authors' recipe
# FVGPT_CoOp/vit_l14_ep10.yaml (CLIP ViT-L/14; SGD lr 0.0035, batch 4, 10 epochs).
# Train stage 1 first; this loads its last checkpoint from
# work_dirs/coop_vit-l14_b2n_oxford_pets (model.backbone_ckpt='auto').
#   python tools/train.py configs/coop/coop_vit-l14_b2n_oxford_pets.py
#   python tools/train.py configs/fvgpt/coop_vit-l14_b2n_oxford_pets.py
_base_ = ['./_base_/fvgpt_coop_b2n.py']
model = dict(
    backbone=dict(clip=dict(model_name='ViT-L-14')),  # stage 1's CLIP
    stage1_config='configs/coop/coop_vit-l14_b2n_oxford_pets.py')
train_dataloader = dict(dataset=dict(type='OxfordPets'))
val_dataloader = dict(dataset=dict(type='OxfordPets'))
test_dataloader = dict(dataset=dict(type='OxfordPets'))
work_dir = 'work_dirs/fvgpt_coop_vit-l14_b2n_oxford_pets'  # not stage 1's (same config name)
