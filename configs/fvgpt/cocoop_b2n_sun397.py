# FVG-PT (stage 2) on CoCoOp, base-to-new on SUN397. Train stage 1 first; this loads its last
# checkpoint from work_dirs/cocoop_b2n_sun397 (model.backbone_ckpt='auto').
#   python tools/train.py configs/cocoop/cocoop_b2n_sun397.py
#   python tools/train.py configs/fvgpt/cocoop_b2n_sun397.py
#   python tools/test.py configs/fvgpt/cocoop_b2n_sun397.py \
#       work_dirs/fvgpt_cocoop_b2n_sun397/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_cocoop_b2n.py']
model = dict(stage1_config='configs/cocoop/cocoop_b2n_sun397.py')
train_dataloader = dict(dataset=dict(type='SUN397'))
val_dataloader = dict(dataset=dict(type='SUN397'))
test_dataloader = dict(dataset=dict(type='SUN397'))
work_dir = 'work_dirs/fvgpt_cocoop_b2n_sun397'  # not stage 1's (same config name)
