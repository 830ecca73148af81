# TCP's B2N schedule as its authors ran it (htyao89/Textual-based_Class-aware_prompt_tuning
# configs/trainers/TCP/vit_b16_ep100_ctxv1.yaml, OPTIM, with train.py and their README): Adam
# lr 0.002 (weight decay 5e-4, betas (0.9, 0.999): Dassl's defaults) with eps 1e-3 (their README
# patches Dassl's Adam to eps=1e-3 against NaN losses in fp16; kept here as part of the recipe,
# in the optimizer config, whatever the precision), batch 32 (set by each dataset config), 50
# epochs (train.py sets 25 for ImageNet and SUN397: their configs), cosine after 1 constant
# warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping). Transforms:
# random resized crop (0.08, 1) + flip, the dataset config's train_pipeline.
# Precision: the authors run TCP with PREC "fp16" (train.py's default; the yaml sets none: CLIP,
# the context and the meta-net in half precision, no loss scaling). Here fp32; `tools/train.py
# --amp` trains with float16 autocast and dynamic loss scaling (mmengine's AmpOptimWrapper, CUDA).
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=0.002, weight_decay=5e-4, betas=(0.9, 0.999), eps=1e-3),
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
