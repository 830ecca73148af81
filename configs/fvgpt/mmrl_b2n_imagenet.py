# FVG-PT (stage 2) on MMRL, base-to-new on ImageNet. Train stage 1 first; this loads its last
# checkpoint from work_dirs/mmrl_b2n_imagenet (model.backbone_ckpt='auto').
#   python tools/train.py configs/mmrl/mmrl_b2n_imagenet.py
#   python tools/train.py configs/fvgpt/mmrl_b2n_imagenet.py
#   python tools/test.py configs/fvgpt/mmrl_b2n_imagenet.py \
#       work_dirs/fvgpt_mmrl_b2n_imagenet/epoch_5.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_mmrl_b2n.py']
model = dict(stage1_config='configs/mmrl/mmrl_b2n_imagenet.py')
# FVGPT_MMRL/vit_b16_imagenet.yaml: batch 32, 5 epochs (the cosine spans the 5).
train_cfg = dict(max_epochs=5, val_interval=5)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=5, warmup_epochs=1, warmup_value=1e-5, by_epoch=True),
]
train_dataloader = dict(batch_size=32, dataset=dict(type='ImageNet'))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
work_dir = 'work_dirs/fvgpt_mmrl_b2n_imagenet'  # not stage 1's (same config name)
