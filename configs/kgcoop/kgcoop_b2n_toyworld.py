# KgCoOp on the toy world's base classes, with ToyCLIP (checkpoints/toyclip_vit_t8.pt, a local
# weights file like real weights; the path is relative to the repository root). The authors'
# recipe (vit_b16_ep10_ctxv1_bs4_lr35.yaml) at the toy world's 64 px.
#   python tools/train.py configs/kgcoop/kgcoop_b2n_toyworld.py
_base_ = [
    '../_base_/models/kgcoop_vit_b16.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/kgcoop_b2n.py', '../_base_/default_runtime.py'
]
model = dict(clip=dict(model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'))
