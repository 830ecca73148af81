# FVG-PT (stage 2) on KgCoOp, base-to-new on DTD. Train stage 1 first; this loads its last
# checkpoint from work_dirs/kgcoop_b2n_dtd (model.backbone_ckpt='auto').
#   python tools/train.py configs/kgcoop/kgcoop_b2n_dtd.py
#   python tools/train.py configs/fvgpt/kgcoop_b2n_dtd.py
#   python tools/test.py configs/fvgpt/kgcoop_b2n_dtd.py \
#       work_dirs/fvgpt_kgcoop_b2n_dtd/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_kgcoop_b2n.py']
# the backbone as configs/kgcoop/kgcoop_b2n_dtd.py builds it (the authors' DTD template)
model = dict(
    stage1_config='configs/kgcoop/kgcoop_b2n_dtd.py',
    backbone=dict(knowledge_template='a photo of a {}, a type of texture.'))
train_dataloader = dict(dataset=dict(type='DTD'))
val_dataloader = dict(dataset=dict(type='DTD'))
test_dataloader = dict(dataset=dict(type='DTD'))
work_dir = 'work_dirs/fvgpt_kgcoop_b2n_dtd'  # not stage 1's (same config name)
