# TCP on the toy world's base classes, with ToyCLIP. The authors' recipe
# (htyao89/Textual-based_Class-aware_prompt_tuning TCP/vit_b16_ep100_ctxv1.yaml: Adam 0.002 with
# eps 1e-3, batch 32, 50 epochs) at the toy world's 64 px, whose crop keeps (0.5, 1) of the area.
#   python tools/train.py configs/tcp/tcp_b2n_toyworld.py
_base_ = [
    '../_base_/models/tcp_toyclip.py', '../_base_/datasets/toyworld_b2n.py',
    '../_base_/schedules/tcp_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=_base_.rrc05_flip_train_pipeline))
