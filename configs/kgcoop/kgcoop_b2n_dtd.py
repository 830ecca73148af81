# KgCoOp (4 context tokens from "a photo of a", W 2.0) on the base classes of DTD,
# CLIP ViT-B/16, 16 shots.
# Recipe: JREion/FVG-PT configs/trainers/KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml.
#   python tools/train.py configs/kgcoop/kgcoop_b2n_dtd.py
_base_ = [
    '../_base_/models/kgcoop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/kgcoop_b2n.py', '../_base_/default_runtime.py'
]
# The authors' KgCoOp keeps its own template table, which differs from CoOp's for DTD.
model = dict(knowledge_template='a photo of a {}, a type of texture.')
train_dataloader = dict(dataset=dict(type='DTD', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='DTD'))
test_dataloader = dict(dataset=dict(type='DTD'))
