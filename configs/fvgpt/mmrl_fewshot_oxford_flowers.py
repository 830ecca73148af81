# FVG-PT (stage 2) on MMRL, few-shot on Flowers102 (all classes, K shots; 16 here). Train stage 1
# first; this loads its last checkpoint from work_dirs/mmrl_fewshot_oxford_flowers
# (model.backbone_ckpt='auto').
#   python tools/train.py configs/mmrl/mmrl_fewshot_oxford_flowers.py
#   python tools/train.py configs/fvgpt/mmrl_fewshot_oxford_flowers.py
_base_ = ['./_base_/fvgpt_mmrl_fewshot.py']
model = dict(stage1_config='configs/mmrl/mmrl_fewshot_oxford_flowers.py')
train_dataloader = dict(dataset=dict(type='Flowers102'))
val_dataloader = dict(dataset=dict(type='Flowers102'))
test_dataloader = dict(dataset=dict(type='Flowers102'))
work_dir = 'work_dirs/fvgpt_mmrl_fewshot_oxford_flowers'  # not stage 1's (same config name)
