# FVG-PT (stage 2) on PromptSRC, few-shot on SUN397 (all classes, K shots; 16 here). Train stage 1
# first; this loads its best validation epoch's checkpoint from work_dirs/promptsrc_fewshot_sun397
# (model.backbone_ckpt='auto').
#   python tools/train.py configs/promptsrc/promptsrc_fewshot_sun397.py
#   python tools/train.py configs/fvgpt/promptsrc_fewshot_sun397.py
_base_ = ['./_base_/fvgpt_promptsrc_fewshot.py']
model = dict(stage1_config='configs/promptsrc/promptsrc_fewshot_sun397.py')
train_dataloader = dict(dataset=dict(type='SUN397'))
val_dataloader = dict(dataset=dict(type='SUN397'))
test_dataloader = dict(dataset=dict(type='SUN397'))
work_dir = 'work_dirs/fvgpt_promptsrc_fewshot_sun397'  # not stage 1's (same config name)
