# FVG-PT (stage 2) on TCP, base-to-new on ImageNet. Train stage 1 first; this loads its last
# checkpoint from work_dirs/tcp_b2n_imagenet (model.backbone_ckpt='auto').
#   python tools/train.py configs/tcp/tcp_b2n_imagenet.py
#   python tools/train.py configs/fvgpt/tcp_b2n_imagenet.py
#   python tools/test.py configs/fvgpt/tcp_b2n_imagenet.py \
#       work_dirs/fvgpt_tcp_b2n_imagenet/epoch_25.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_tcp_b2n.py']
model = dict(stage1_config='configs/tcp/tcp_b2n_imagenet.py')
# 25 epochs as stage 1 (train.py: ImageNet and SUN397).
train_cfg = dict(max_epochs=25, val_interval=25)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=25, warmup_epochs=1, warmup_value=1e-5,
        by_epoch=True),
]
train_dataloader = dict(dataset=dict(type='ImageNet'))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
work_dir = 'work_dirs/fvgpt_tcp_b2n_imagenet'  # not stage 1's (same config name)
