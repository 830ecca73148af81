# Zero-shot CLIP ViT-B/16 with CoOp's template of FGVCAircraft; nothing is trained:
#   python tools/test.py configs/zsclip/zsclip_b2n_fgvc_aircraft.py \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = [
    '../_base_/models/zsclip_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/default_runtime.py'
]
train_dataloader = None
val_dataloader = None
val_evaluator = None
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_cfg = dict()
