# MaPLe's cross-dataset / domain-generalization schedule (muzairkhattak/multimodal-prompt-learning
# configs/trainers/MaPLe/vit_b16_c2_ep5_batch4_2ctx_cross_datasets.yaml, OPTIM; its
# scripts/maple/xd_train_maple.sh trains it on all ImageNet classes, 16 shots, and the DG targets
# are tested with that model): SGD lr 0.0026 (momentum 0.9, weight decay 5e-4), batch 4, 2
# epochs, cosine after 1 constant warm-up epoch at 1e-5. The same yaml sets PROMPT_DEPTH 3
# (configs/maple/maple_xd_imagenet.py); otherwise it is the B2N yaml (maple_b2n.py), PREC fp16
# included.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.0026, momentum=0.9, weight_decay=5e-4),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=2, warmup_epochs=1, warmup_value=1e-5, by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=2, val_interval=2)
val_cfg = dict()
test_cfg = dict()
