# Zero-shot ToyCLIP (checkpoints/toyclip_vit_t8.pt) on the toy world; nothing is trained:
#   python tools/test.py configs/zsclip/zsclip_b2n_toyworld.py \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = [
    '../_base_/models/zsclip_vit_b16.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/default_runtime.py'
]
model = dict(clip=dict(model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'))
train_dataloader = None
val_dataloader = None
val_evaluator = None
test_cfg = dict()
