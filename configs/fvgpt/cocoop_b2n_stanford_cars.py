# FVG-PT (stage 2) on CoCoOp, base-to-new on Stanford Cars. Train stage 1 first; this loads its last
# checkpoint from work_dirs/cocoop_b2n_stanford_cars (model.backbone_ckpt='auto').
#   python tools/train.py configs/cocoop/cocoop_b2n_stanford_cars.py
#   python tools/train.py configs/fvgpt/cocoop_b2n_stanford_cars.py
#   python tools/test.py configs/fvgpt/cocoop_b2n_stanford_cars.py \
#       work_dirs/fvgpt_cocoop_b2n_stanford_cars/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_cocoop_b2n.py']
model = dict(stage1_config='configs/cocoop/cocoop_b2n_stanford_cars.py')
train_dataloader = dict(dataset=dict(type='StanfordCars'))
val_dataloader = dict(dataset=dict(type='StanfordCars'))
test_dataloader = dict(dataset=dict(type='StanfordCars'))
work_dir = 'work_dirs/fvgpt_cocoop_b2n_stanford_cars'  # not stage 1's (same config name)
