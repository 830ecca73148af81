# PromptSRC's few-shot schedule as the FVG-PT authors ran it (JREion/FVG-PT configs/trainers/
# PromptSRC/vit_b16_c2_ep50_batch4_4+4ctx_few_shot.yaml, OPTIM; FVGPT_PromptSRC/ has the same
# block): all classes, K shots. SGD lr 0.005 (momentum 0.9, weight decay 5e-4: Dassl's defaults),
# batch 8 (DATALOADER.TRAIN_X; the file name says batch4, its content 8), 50 epochs, cosine after
# 1 constant warm-up epoch at 1e-5 (fvgpt.engine.WarmupCosineAnnealingLR: Dassl's stepping).
# Transforms: random resized crop (0.08, 1) + flip. Gaussian prompt aggregation: the yaml's two
# settings, GPA_MEAN 30, GPA_STD 30 for ImageNet, Caltech101, OxfordPets, Food101, UCF101 and
# SUN397, and GPA_MEAN 45, GPA_STD 5 for StanfordCars, Flowers102, FGVCAircraft, DTD and EuroSAT
# (each dataset config adds its hook). TEST.FINAL_MODEL "best_val": Dassl validates after every
# epoch on the few-shot val split (min(K, 4) shots per class; ImageNet: its test set) and deploys
# the epoch with the best accuracy, a later one replacing it only when strictly better. Here:
# val_interval=1 and each dataset config sets default_hooks.checkpoint to `best_val_checkpoint`
# (mmengine's save_best, rule 'greater': x > y); fvgpt.apis.final_checkpoint then tests (and hands
# to FVG-PT's stage 2) that checkpoint, and a resumed training keeps the best so far.
# Precision: the authors' PREC "fp16"; here fp32, or `tools/train.py --amp`.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.005, momentum=0.9, weight_decay=5e-4),
    constructor='TrainableParamsOptimWrapperConstructor',
)
param_scheduler = [
    dict(
        type='WarmupCosineAnnealingLR', T_max=50, warmup_epochs=1, warmup_value=1e-5,
        by_epoch=True),
]
train_cfg = dict(by_epoch=True, max_epochs=50, val_interval=1)
val_cfg = dict()
test_cfg = dict()
best_val_checkpoint = dict(save_best='accuracy/top1', rule='greater')
promptsrc_gpa_hook_generic = dict(type='GaussianPromptAggregationHook', mean=30.0, std=30.0)
promptsrc_gpa_hook_fine_grained = dict(type='GaussianPromptAggregationHook', mean=45.0, std=5.0)
