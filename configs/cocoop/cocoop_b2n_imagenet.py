# CoCoOp (4 context tokens from "a photo of a", shifted per image by the meta-net) on the base
# classes of ImageNet, CLIP ViT-B/16, 16 shots.
# Recipe: KaiyangZhou/CoOp configs/trainers/CoCoOp/vit_b16_c4_ep10_batch1_ctxv1.yaml (batch 1,
# 10 epochs, SGD lr 0.002; scripts/cocoop/base2new_train.sh).
#   python tools/train.py configs/cocoop/cocoop_b2n_imagenet.py
_base_ = [
    '../_base_/models/cocoop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/cocoop_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(
    batch_size=1, dataset=dict(type='ImageNet', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
