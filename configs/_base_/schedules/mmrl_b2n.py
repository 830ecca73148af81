# MMRL's B2N schedule as the FVG-PT authors ran it (JREion/FVG-PT configs/trainers/MMRL/
# vit_b16.yaml, OPTIM; FVGPT_MMRL/vit_b16.yaml has the same block): AdamW lr 1e-3 (weight decay
# 5e-4, betas (0.9, 0.999): Dassl's defaults), batch 4 (the dataset config's), 10 epochs, cosine
# after 1 constant warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's
# stepping). ImageNet uses MMRL/vit_b16_imagenet.yaml instead: batch 32, 5 epochs (its config).
# Transforms: random resized crop keeping (0.5, 1) of the area (INPUT.RRCROP_SCALE) + flip.
# Precision: the authors run MMRL with PREC "amp" (float16 autocast, loss scaling); here fp32 by
# default (so that every config also runs on a CPU); `tools/train.py --amp` is the authors'
# setting (mmengine's AmpOptimWrapper, CUDA).
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=5e-4, betas=(0.9, 0.999)),
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
