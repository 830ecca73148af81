# KgCoOp on the toy world's base classes, with ToyCLIP. The authors' recipe
# (KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml) at the toy world's 64 px.
#   python tools/train.py configs/kgcoop/kgcoop_b2n_toyworld.py
_base_ = [
    '../_base_/models/kgcoop_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/kgcoop_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(pipeline=_base_.rrc05_flip_train_pipeline))
