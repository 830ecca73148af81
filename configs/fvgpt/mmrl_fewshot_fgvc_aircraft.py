# FVG-PT (stage 2) on MMRL, few-shot on FGVCAircraft (all classes, K shots; 16 here). Train stage 1
# first; this loads its last checkpoint from work_dirs/mmrl_fewshot_fgvc_aircraft
# (model.backbone_ckpt='auto').
#   python tools/train.py configs/mmrl/mmrl_fewshot_fgvc_aircraft.py
#   python tools/train.py configs/fvgpt/mmrl_fewshot_fgvc_aircraft.py
_base_ = ['./_base_/fvgpt_mmrl_fewshot.py']
model = dict(stage1_config='configs/mmrl/mmrl_fewshot_fgvc_aircraft.py')
train_dataloader = dict(dataset=dict(type='FGVCAircraft'))
val_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
work_dir = 'work_dirs/fvgpt_mmrl_fewshot_fgvc_aircraft'  # not stage 1's (same config name)
