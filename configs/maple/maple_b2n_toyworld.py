# MaPLe on the toy world's base classes with ToyCLIP (models/maple_toyclip.py: 2 coupled tokens to
# depth 2), MaPLe's schedule (SGD 0.0035, batch 4, 5 epochs; configs/trainers/MaPLe/
# vit_b16_c2_ep5_batch4_2ctx.yaml of muzairkhattak/multimodal-prompt-learning) with the toy
# world's random resized crop (0.5, 1) + flip at 64 px; tools/toyworld/generate.py writes the data.
#   python tools/train.py configs/maple/maple_b2n_toyworld.py
_base_ = [
    '../_base_/models/maple_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/maple_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(pipeline=_base_.rrc05_flip_train_pipeline))
