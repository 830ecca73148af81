# CoOp's B2N schedule as the FVG-PT authors ran it (JREion/FVG-PT configs/trainers/CoOp/ and
# FVGPT_CoOp/, vit_b16_ep10.yaml and vit_l14_ep10.yaml, OPTIM): SGD lr 0.0035 (momentum 0.9,
# weight decay 5e-4, Dassl's defaults), batch 4 (in the dataset config), 10 epochs, cosine, 1
# constant warm-up epoch at 1e-5. Dassl starts stepping the cosine only after the warm-up:
# epoch e >= 1 runs at cosine step e - 1, so epoch 1 runs at the full lr
# (fvgpt.engine.WarmupCosineAnnealingLR).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0035, momentum=0.9, weight_decay=5e-4),
    # only the parameters with requires_grad (the context) go to the optimizer
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=10, warmup_epochs=1, warmup_value=1e-5,
        by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=10)
val_cfg = dict()
test_cfg = dict()
