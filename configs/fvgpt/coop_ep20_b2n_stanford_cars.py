# FVG-PT (stage 2) on CoOp, base-to-new on Stanford Cars: the authors' recipe
# FVGPT_CoOp/vit_b16_ep20.yaml (SGD lr 0.002, batch 4, 20 epochs).
# Train stage 1 first; this loads its last checkpoint from
# work_dirs/coop_ep20_b2n_stanford_cars (model.backbone_ckpt='auto').
#   python tools/train.py configs/coop/coop_ep20_b2n_stanford_cars.py
#   python tools/train.py configs/fvgpt/coop_ep20_b2n_stanford_cars.py
_base_ = ['./_base_/fvgpt_coop_ep20_b2n.py']
model = dict(stage1_config='configs/coop/coop_ep20_b2n_stanford_cars.py')
train_dataloader = dict(dataset=dict(type='StanfordCars'))
val_dataloader = dict(dataset=dict(type='StanfordCars'))
test_dataloader = dict(dataset=dict(type='StanfordCars'))
work_dir = 'work_dirs/fvgpt_coop_ep20_b2n_stanford_cars'  # not stage 1's (same config name)
