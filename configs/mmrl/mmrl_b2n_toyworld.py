# MMRL on the toy world's base classes, with ToyCLIP (checkpoints/toyclip_vit_t8.pt; the path is
# relative to the repository root). The authors' recipe (MMRL/vit_b16.yaml) at the toy world's
# 64 px (its crop already keeps (0.5, 1) of the area), with the representation tokens before
# ToyCLIP's layers 2-3: the second half of its 3-layer text tower, as 6-12 is of ViT-B/16's 12
# (layers past the text tower's depth do not exist).
#   python tools/train.py configs/mmrl/mmrl_b2n_toyworld.py
_base_ = [
    '../_base_/models/mmrl_vit_b16.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/mmrl_b2n.py', '../_base_/default_runtime.py'
]
model = dict(
    clip=dict(model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    representation_learner=dict(rep_layers=[2, 3]))
