# MMRL (5 representation tokens at layers 6-12, alpha 0.7) on the base classes of SUN397,
# CLIP ViT-B/16, 16 shots. Recipe: JREion/FVG-PT configs/trainers/MMRL/vit_b16.yaml.
#   python tools/train.py configs/mmrl/mmrl_b2n_sun397.py
_base_ = [
    '../_base_/models/mmrl_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/mmrl_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(type='SUN397', pipeline=_base_.rrc05_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='SUN397'))
test_dataloader = dict(dataset=dict(type='SUN397'))
