# CoCoOp's B2N schedule (KaiyangZhou/CoOp configs/trainers/CoCoOp/vit_b16_c4_ep10_batch1_ctxv1.yaml,
# OPTIM; scripts/cocoop/base2new_train.sh runs this yaml for every dataset, ImageNet included):
# SGD lr 0.002 (momentum 0.9, weight decay 5e-4, Dassl's defaults), batch 1 (set by each
# configs/cocoop/ leaf: DATALOADER.TRAIN_X.BATCH_SIZE 1; test batch 100), 10 epochs, cosine after
# 1 constant warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping).
# Transforms: random resized crop (0.08, 1) + flip, the dataset config's rrc_flip_train_pipeline.
# Precision: the authors' yaml runs PREC "fp16" (CLIP and the meta-net in half precision, no
# loss scaling). Here fp32; `tools/train.py --amp` trains with float16 autocast and dynamic loss
# scaling (mmengine's AmpOptimWrapper, CUDA), the stable form of fp16.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.002, momentum=0.9, weight_decay=5e-4),
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
