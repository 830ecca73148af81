# MMRL's cross-dataset / domain-generalization schedule as the FVG-PT authors ran it (JREion/
# FVG-PT configs/trainers/MMRL/vit_b16_cross_datasets.yaml, OPTIM; FVGPT_MMRL/ has the same block):
# trained once on ImageNet, all classes, 16 shots. AdamW lr 1e-3 (weight decay 5e-4, betas
# (0.9, 0.999): Dassl's defaults), batch 32, 5 epochs, no warm-up (WARMUP_EPOCH 0: Dassl builds
# the plain cosine, stepped from the first epoch; WarmupCosineAnnealingLR with warmup_epochs=0).
# Transforms: random resized crop keeping (0.5, 1) of the area (INPUT.RRCROP_SCALE) + flip.
# Precision: the authors' PREC "amp"; here fp32, or `tools/train.py --amp` (their setting).
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=5e-4, betas=(0.9, 0.999)),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=5, warmup_epochs=0, warmup_value=1e-5, by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=5, val_interval=5)
val_cfg = dict()
test_cfg = dict()
