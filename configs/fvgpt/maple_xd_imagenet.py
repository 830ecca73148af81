# FVG-PT (stage 2) on the cross-dataset MaPLe (configs/maple/maple_xd_imagenet.py: depth 3),
# trained on ImageNet for cross-dataset transfer and domain generalization with that yaml's
# schedule (SGD 0.0026, batch 4, 2 epochs: schedules/maple_xd.py), as fvgpt_maple_b2n.py repeats
# the B2N one. configs/protocols/{xd,dg}_maple_fvgpt.py train it on all classes after stage 1.
_base_ = ['./_base_/fvgpt_maple_b2n.py']
model = dict(
    backbone=dict(prompt_learner=dict(depth=3)), stage1_config='configs/maple/maple_xd_imagenet.py')
# schedules/maple_xd.py (a second schedule base would clash with the B2N one in the base above)
optim_wrapper = dict(optimizer=dict(lr=0.0026))
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=2, warmup_epochs=1, warmup_value=1e-5, by_epoch=True),
]
train_cfg = dict(max_epochs=2, val_interval=2)
train_dataloader = dict(dataset=dict(type='ImageNet'))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
work_dir = 'work_dirs/fvgpt_maple_xd_imagenet'  # not stage 1's (same config name)
