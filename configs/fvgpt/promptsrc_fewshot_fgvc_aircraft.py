# FVG-PT (stage 2) on PromptSRC, few-shot on FGVCAircraft (all classes, K shots; 16 here). Train
# stage 1 first; this loads its best validation epoch's checkpoint from
# work_dirs/promptsrc_fewshot_fgvc_aircraft (model.backbone_ckpt='auto').
#   python tools/train.py configs/promptsrc/promptsrc_fewshot_fgvc_aircraft.py
#   python tools/train.py configs/fvgpt/promptsrc_fewshot_fgvc_aircraft.py
_base_ = ['./_base_/fvgpt_promptsrc_fewshot.py']
model = dict(stage1_config='configs/promptsrc/promptsrc_fewshot_fgvc_aircraft.py')
train_dataloader = dict(dataset=dict(type='FGVCAircraft'))
val_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
work_dir = 'work_dirs/fvgpt_promptsrc_fewshot_fgvc_aircraft'  # not stage 1's (same config name)
