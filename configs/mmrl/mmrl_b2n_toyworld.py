# MMRL on the toy world's base classes, with ToyCLIP. The authors' recipe (MMRL/vit_b16.yaml) at
# the toy world's 64 px, whose crop already keeps (0.5, 1) of the area.
#   python tools/train.py configs/mmrl/mmrl_b2n_toyworld.py
_base_ = [
    '../_base_/models/mmrl_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/mmrl_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(pipeline=_base_.rrc05_flip_train_pipeline))
