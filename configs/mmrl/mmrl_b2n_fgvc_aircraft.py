# MMRL (5 representation tokens at layers 6-12, alpha 0.7) on the base classes of FGVCAircraft,
# CLIP ViT-B/16, 16 shots. Recipe: JREion/FVG-PT configs/trainers/MMRL/vit_b16.yaml.
#   python tools/train.py configs/mmrl/mmrl_b2n_fgvc_aircraft.py
_base_ = [
    '../_base_/models/mmrl_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/mmrl_b2n.py', '../_base_/default_runtime.py'
]
# MMRL's crop keeps (0.5, 1) of the area (the yaml's INPUT.RRCROP_SCALE).
mmrl_train_pipeline = [
    dict(t, crop_ratio_range=(0.5, 1.0)) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(type='FGVCAircraft', pipeline=mmrl_train_pipeline))
val_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
