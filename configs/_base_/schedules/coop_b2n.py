# CoOp's B2N schedule (METHOD.md): SGD lr 0.0035, batch 4 (set in the dataset config), 10 epochs,
# cosine decay over the 10 epochs, the first of which runs at a constant lr of 1e-5 (Dassl's
# ConstantWarmupScheduler wrapping CosineAnnealingLR(T_max=max_epoch)).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0035, momentum=0.9, weight_decay=5e-4),
    # only the parameters with requires_grad (the context) go to the optimizer
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    # Dassl's "constant" warm-up: lr fixed at 1e-5 during the first epoch.
    # mmengine restores the lr at the scheduler's last step, so end=2 gives one epoch at 1e-5.
    dict(type='ConstantLR', factor=1e-5 / 0.0035, by_epoch=True, begin=0, end=2),
    dict(type='CosineAnnealingLR', T_max=10, eta_min=0.0, by_epoch=True, begin=0, end=10),
]
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=10)
val_cfg = dict()
test_cfg = dict()
