# FVG-PT (stage 2) on MaPLe, base-to-new on StanfordCars. Train stage 1 first; this loads its last
# checkpoint from work_dirs/maple_b2n_stanford_cars (model.backbone_ckpt='auto').
#   python tools/train.py configs/maple/maple_b2n_stanford_cars.py
#   python tools/train.py configs/fvgpt/maple_b2n_stanford_cars.py
#   python tools/test.py configs/fvgpt/maple_b2n_stanford_cars.py \
#       work_dirs/fvgpt_maple_b2n_stanford_cars/epoch_5.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_maple_b2n.py']
model = dict(stage1_config='configs/maple/maple_b2n_stanford_cars.py')
train_dataloader = dict(dataset=dict(type='StanfordCars'))
val_dataloader = dict(dataset=dict(type='StanfordCars'))
test_dataloader = dict(dataset=dict(type='StanfordCars'))
work_dir = 'work_dirs/fvgpt_maple_b2n_stanford_cars'  # not stage 1's (same config name)
