# IVLP (4 + 4 deep prompts, depth 9) on the base classes of ImageNet, CLIP ViT-B/16, 16 shots.
_base_ = [
    '../_base_/models/ivlp_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/ivlp_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(type='ImageNet'))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
