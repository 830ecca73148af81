# The FVG-PT authors' 20-epoch CoOp recipe (JREion/FVG-PT configs/trainers/CoOp/vit_b16_ep20.yaml
# and FVGPT_CoOp/vit_b16_ep20.yaml, OPTIM): SGD lr 0.002 (momentum 0.9, weight decay 5e-4,
# Dassl's defaults), 20 epochs, cosine, 1 constant warm-up epoch at 1e-5, stepped as Dassl does
# (fvgpt.engine.WarmupCosineAnnealingLR).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.002, momentum=0.9, weight_decay=5e-4),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=20, warmup_epochs=1, warmup_value=1e-5,
        by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=20, val_interval=20)
val_cfg = dict()
test_cfg = dict()
