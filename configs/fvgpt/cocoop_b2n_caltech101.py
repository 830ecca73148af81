# FVG-PT (stage 2) on CoCoOp, base-to-new on Caltech101. Train stage 1 first; this loads its last
# checkpoint from work_dirs/cocoop_b2n_caltech101 (model.backbone_ckpt='auto').
#   python tools/train.py configs/cocoop/cocoop_b2n_caltech101.py
#   python tools/train.py configs/fvgpt/cocoop_b2n_caltech101.py
#   python tools/test.py configs/fvgpt/cocoop_b2n_caltech101.py \
#       work_dirs/fvgpt_cocoop_b2n_caltech101/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_cocoop_b2n.py']
model = dict(stage1_config='configs/cocoop/cocoop_b2n_caltech101.py')
train_dataloader = dict(dataset=dict(type='Caltech101'))
val_dataloader = dict(dataset=dict(type='Caltech101'))
test_dataloader = dict(dataset=dict(type='Caltech101'))
work_dir = 'work_dirs/fvgpt_cocoop_b2n_caltech101'  # not stage 1's (same config name)
