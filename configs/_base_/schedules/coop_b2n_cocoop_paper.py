# CoOp as the CoCoOp paper ran it for base-to-new (KaiyangZhou/CoOp
# configs/trainers/CoOp/vit_b16_ctxv1.yaml, OPTIM): SGD lr 0.002 (momentum 0.9, weight decay
# 5e-4), 200 epochs, cosine, 1 constant warm-up epoch at 1e-5 (Dassl's stepping). ImageNet ran
# vit_b16_ep50_ctxv1.yaml instead: its leaf sets 50 epochs.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.002, momentum=0.9, weight_decay=5e-4),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR',
        T_max=200,
        warmup_epochs=1,
        warmup_value=1e-5,
        by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=200)
val_cfg = dict()
test_cfg = dict()
