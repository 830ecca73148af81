# PromptSRC on the toy world's base classes, with ToyCLIP. The authors' recipe
# (PromptSRC/vit_b16_c2_ep10_batch32_4+4ctx.yaml) at the toy world's 64 px.
#   python tools/train.py configs/promptsrc/promptsrc_b2n_toyworld.py
_base_ = [
    '../_base_/models/promptsrc_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/promptsrc_b2n.py', '../_base_/default_runtime.py'
]
custom_hooks = [*_base_.custom_hooks, _base_.promptsrc_gpa_hook]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=_base_.rrc05_flip_train_pipeline))
