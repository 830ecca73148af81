# KgCoOp (4 context tokens from "a photo of a", W 2.0) on the base classes of ImageNet,
# CLIP ViT-B/16, 16 shots.
# Recipe: JREion/FVG-PT configs/trainers/KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml.
#   python tools/train.py configs/kgcoop/kgcoop_b2n_imagenet.py
_base_ = [
    '../_base_/models/kgcoop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/kgcoop_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(type='ImageNet', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
