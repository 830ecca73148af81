# FVG-PT (stage 2) on PromptSRC, few-shot on StanfordCars (all classes, K shots; 16 here). Train
# stage 1 first; this loads its best validation epoch's checkpoint from
# work_dirs/promptsrc_fewshot_stanford_cars (model.backbone_ckpt='auto').
#   python tools/train.py configs/promptsrc/promptsrc_fewshot_stanford_cars.py
#   python tools/train.py configs/fvgpt/promptsrc_fewshot_stanford_cars.py
_base_ = ['./_base_/fvgpt_promptsrc_fewshot.py']
model = dict(stage1_config='configs/promptsrc/promptsrc_fewshot_stanford_cars.py')
train_dataloader = dict(dataset=dict(type='StanfordCars'))
val_dataloader = dict(dataset=dict(type='StanfordCars'))
test_dataloader = dict(dataset=dict(type='StanfordCars'))
work_dir = 'work_dirs/fvgpt_promptsrc_fewshot_stanford_cars'  # not stage 1's (same config name)
