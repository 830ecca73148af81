# CoOp (4 context tokens, random init) on the base classes of Food101, CLIP ViT-B/16, 16 shots.
_base_ = [
    '../_base_/models/coop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/coop_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(type='Food101'))
val_dataloader = dict(dataset=dict(type='Food101'))
test_dataloader = dict(dataset=dict(type='Food101'))
