# MMRL (5 representation tokens at layers 6-12, alpha 0.7) on the base classes of ImageNet,
# CLIP ViT-B/16, 16 shots. Recipe: JREion/FVG-PT configs/trainers/MMRL/vit_b16_imagenet.yaml.
#   python tools/train.py configs/mmrl/mmrl_b2n_imagenet.py
_base_ = [
    '../_base_/models/mmrl_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/mmrl_b2n.py', '../_base_/default_runtime.py'
]
# ImageNet's own yaml: batch 32, 5 epochs (the cosine spans the 5).
train_cfg = dict(max_epochs=5, val_interval=5)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=5, warmup_epochs=1, warmup_value=1e-5, by_epoch=True),
]
train_dataloader = dict(
    batch_size=32, dataset=dict(type='ImageNet', pipeline=_base_.rrc05_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
