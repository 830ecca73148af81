# IVLP's B2N schedule (configs/trainers/IVLP/vit_b16_c2_ep20_batch4_4+4ctx.yaml of
# muzairkhattak/PromptSRC, OPTIM): SGD lr 0.0025 (momentum 0.9, weight decay 5e-4, Dassl's
# defaults), batch 4 (in the dataset config), 20 epochs, cosine after 1 constant warm-up epoch at
# 1e-5, stepped as Dassl does (fvgpt.engine.WarmupCosineAnnealingLR; see coop_b2n.py).
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0025, momentum=0.9, weight_decay=5e-4),
    # only the parameters with requires_grad (the prompts) go to the optimizer
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
