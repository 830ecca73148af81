# MMRL's few-shot schedule as the FVG-PT authors ran it (JREion/FVG-PT configs/trainers/MMRL/
# vit_b16_few_shot.yaml, OPTIM; FVGPT_MMRL/ has the same block): all classes, K shots. AdamW
# lr 1e-3 (weight decay 5e-4, betas (0.9, 0.999): Dassl's defaults), batch 32, 50 epochs, cosine
# after 1 constant warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping).
# Transforms: random resized crop keeping (0.5, 1) of the area (INPUT.RRCROP_SCALE) + flip.
# Precision: the authors' PREC "amp"; here fp32, or `tools/train.py --amp` (their setting).
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=5e-4, betas=(0.9, 0.999)),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=50, warmup_epochs=1, warmup_value=1e-5,
        by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=50, val_interval=50)
val_cfg = dict()
test_cfg = dict()
