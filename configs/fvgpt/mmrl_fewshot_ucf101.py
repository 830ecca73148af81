# FVG-PT (stage 2) on MMRL, few-shot on UCF101 (all classes, K shots; 16 here). Train stage 1
# first; this loads its last checkpoint from work_dirs/mmrl_fewshot_ucf101
# (model.backbone_ckpt='auto').
#   python tools/train.py configs/mmrl/mmrl_fewshot_ucf101.py
#   python tools/train.py configs/fvgpt/mmrl_fewshot_ucf101.py
_base_ = ['./_base_/fvgpt_mmrl_fewshot.py']
model = dict(stage1_config='configs/mmrl/mmrl_fewshot_ucf101.py')
train_dataloader = dict(dataset=dict(type='UCF101'))
val_dataloader = dict(dataset=dict(type='UCF101'))
test_dataloader = dict(dataset=dict(type='UCF101'))
work_dir = 'work_dirs/fvgpt_mmrl_fewshot_ucf101'  # not stage 1's (same config name)
