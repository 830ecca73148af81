# MaPLe's B2N schedule (muzairkhattak/multimodal-prompt-learning configs/trainers/MaPLe/
# vit_b16_c2_ep5_batch4_2ctx.yaml, OPTIM): SGD lr 0.0035 (momentum 0.9, weight decay 5e-4,
# Dassl's defaults), batch 4 (the dataset config's), 5 epochs, cosine after 1 constant warm-up
# epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping). Transforms: random
# resized crop (0.08, 1) + flip, set by each dataset config.
# Precision: the authors run MaPLe with PREC "fp16" (CLIP and the context in half precision, no
# loss scaling). Here fp32; `tools/train.py --amp` trains with float16 autocast and dynamic loss
# scaling (mmengine's AmpOptimWrapper, CUDA), the stable form of fp16.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0035, momentum=0.9, weight_decay=5e-4),
    # only the parameters with requires_grad (the prompts and the maps) go to the optimizer
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=5, warmup_epochs=1, warmup_value=1e-5, by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=5, val_interval=5)
val_cfg = dict()
test_cfg = dict()
