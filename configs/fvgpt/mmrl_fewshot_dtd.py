# FVG-PT (stage 2) on MMRL, few-shot on DTD (all classes, K shots; 16 here). Train stage 1 first;
# this loads its last checkpoint from work_dirs/mmrl_fewshot_dtd (model.backbone_ckpt='auto').
#   python tools/train.py configs/mmrl/mmrl_fewshot_dtd.py
#   python tools/train.py configs/fvgpt/mmrl_fewshot_dtd.py
_base_ = ['./_base_/fvgpt_mmrl_fewshot.py']
model = dict(stage1_config='configs/mmrl/mmrl_fewshot_dtd.py')
train_dataloader = dict(dataset=dict(type='DTD'))
val_dataloader = dict(dataset=dict(type='DTD'))
test_dataloader = dict(dataset=dict(type='DTD'))
work_dir = 'work_dirs/fvgpt_mmrl_fewshot_dtd'  # not stage 1's (same config name)
