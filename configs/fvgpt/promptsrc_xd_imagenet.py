# FVG-PT (stage 2) on PromptSRC, cross-dataset transfer / domain generalization, trained on all
# ImageNet classes. Train stage 1 first; this loads its last checkpoint from
# work_dirs/promptsrc_xd_imagenet (model.backbone_ckpt='auto').
#   python tools/train.py configs/promptsrc/promptsrc_xd_imagenet.py
#   python tools/train.py configs/fvgpt/promptsrc_xd_imagenet.py
_base_ = ['./_base_/fvgpt_promptsrc_xd.py']
model = dict(stage1_config='configs/promptsrc/promptsrc_xd_imagenet.py')
train_dataloader = dict(dataset=dict(type='ImageNet'))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
work_dir = 'work_dirs/fvgpt_promptsrc_xd_imagenet'  # not stage 1's (same config name)
