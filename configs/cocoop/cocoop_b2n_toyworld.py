# CoCoOp on the toy world's base classes, with ToyCLIP. The authors' recipe
# (KaiyangZhou/CoOp configs/trainers/CoCoOp/vit_b16_c4_ep10_batch1_ctxv1.yaml: batch 1, 10 epochs,
# SGD lr 0.002) at the toy world's 64 px.
#   python tools/train.py configs/cocoop/cocoop_b2n_toyworld.py
_base_ = [
    '../_base_/models/cocoop_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/cocoop_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(batch_size=1, dataset=dict(pipeline=_base_.rrc05_flip_train_pipeline))
