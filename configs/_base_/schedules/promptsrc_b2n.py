# PromptSRC's B2N schedule as the FVG-PT authors ran it (JREion/FVG-PT configs/trainers/PromptSRC/
# vit_b16_c2_ep10_batch32_4+4ctx.yaml, OPTIM; FVGPT_PromptSRC/ has the same block): SGD lr 0.0025
# (momentum 0.9, weight decay 5e-4, Dassl's defaults), batch 32 (set by each dataset config),
# 10 epochs, cosine after 1 constant warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR:
# Dassl's stepping). Transforms: random resized crop (0.08, 1) + flip, the dataset config's
# train_pipeline.
# Gaussian prompt aggregation (TRAINER.PROMPTSRC.GPA_MEAN 15, GPA_STD 1): the dataset configs add
# `promptsrc_gpa_hook` to custom_hooks; after the last epoch the prompts become the
# Gaussian-weighted sum of each epoch's, before the last checkpoint is written.
# Precision: the authors run PromptSRC with PREC "fp16" (CLIP and the prompts in half precision,
# no loss scaling). Here fp32; `tools/train.py --amp` trains with float16 autocast and dynamic loss
# scaling (mmengine's AmpOptimWrapper, CUDA), the stable form of fp16.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0025, momentum=0.9, weight_decay=5e-4),
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
promptsrc_gpa_hook = dict(type='GaussianPromptAggregationHook', mean=15.0, std=1.0)
