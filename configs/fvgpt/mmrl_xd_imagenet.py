# FVG-PT (stage 2) on MMRL, cross-dataset transfer / domain generalization, trained on all ImageNet
# classes. Train stage 1 first; this loads its last checkpoint from work_dirs/mmrl_xd_imagenet
# (model.backbone_ckpt='auto').
#   python tools/train.py configs/mmrl/mmrl_xd_imagenet.py
#   python tools/train.py configs/fvgpt/mmrl_xd_imagenet.py
_base_ = ['./_base_/fvgpt_mmrl_xd.py']
model = dict(stage1_config='configs/mmrl/mmrl_xd_imagenet.py')
train_dataloader = dict(dataset=dict(type='ImageNet'))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
work_dir = 'work_dirs/fvgpt_mmrl_xd_imagenet'  # not stage 1's (same config name)
