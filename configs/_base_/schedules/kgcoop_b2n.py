# KgCoOp's B2N schedule as the FVG-PT authors ran it (JREion/FVG-PT
# configs/trainers/KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml, OPTIM; the FVG-PT stage's
# FVGPT_KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml has the same block): SGD lr 0.0035 (momentum 0.9,
# weight decay 5e-4, Dassl's defaults), batch 4 (the dataset config's), 10 epochs, cosine after
# 1 constant warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping).
# Transforms: random resized crop (0.08, 1) + flip, the dataset config's train_pipeline.
# Precision: the authors' KgCoOp runs PREC "fp16" (their default: CLIP and the context in half
# precision, no loss scaling). Here fp32; `tools/train.py --amp` trains with float16 autocast
# and dynamic loss scaling (mmengine's AmpOptimWrapper, CUDA), the stable form of fp16.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0035, momentum=0.9, weight_decay=5e-4),
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
