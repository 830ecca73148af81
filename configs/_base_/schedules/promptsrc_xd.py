# PromptSRC's cross-dataset / domain-generalization schedule as the FVG-PT authors ran it (JREion/
# FVG-PT configs/trainers/PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml, OPTIM;
# FVGPT_PromptSRC/ has the same block): trained once on ImageNet, all classes, 16 shots. SGD
# lr 0.0035 (momentum 0.9, weight decay 5e-4: Dassl's defaults), batch 4 (DATALOADER.TRAIN_X; the
# file name says batch32, its content 4), 5 epochs, cosine after 1 constant warm-up epoch at 1e-5
# (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping). Transforms: random resized crop
# (0.08, 1) + flip. Gaussian prompt aggregation GPA_MEAN 6, GPA_STD 10 (the config adds
# `promptsrc_gpa_hook`). Precision: the authors' PREC "fp16"; here fp32, or `tools/train.py --amp`.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0035, momentum=0.9, weight_decay=5e-4),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=5, warmup_epochs=1, warmup_value=1e-5, by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=5, val_interval=5)
val_cfg = dict()
test_cfg = dict()
promptsrc_gpa_hook = dict(type='GaussianPromptAggregationHook', mean=6.0, std=10.0)
