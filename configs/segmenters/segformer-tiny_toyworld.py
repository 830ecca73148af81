# The toy world's segmenter: the small 2-class SegFormer of segformer-tiny_fg-2cls_96x96.py trained
# with mmseg's own loop on the exact masks of a toy world drawn from another seed than the
# benchmark's (clean masks, no spurious backgrounds), validated on that world's val split and
# tested on the benchmark world's test split. Its shipped weights:
# checkpoints/toyseg_segformer_tiny.pth (fp16, weights + class names).
#
#   python tools/toyworld/train_segmenter.py          # generates the data, trains, ships, reports
#
# The tool writes the training world to `seg_data_root` (a ToyWorldSegDataset folder; seed 1000,
# exact masks) and reads the benchmark world from `bench_data_root` (generated when missing); the
# masks the FVG-PT demo uses are then made with:
#   python tools/prepare_foreground.py configs/segmenters/segformer-tiny_toyworld.py \
#       checkpoints/toyseg_segformer_tiny.pth --dataset-dir data/toyworld --image-dir images \
#       --split-file split_zhou_ToyWorld.json --mask-root data/toyworld/mask_seg --foreground binary
_base_ = ['./segformer-tiny_fg-2cls_96x96.py']

custom_imports = dict(
    imports=['fvgpt.segmentation.toyworld_seg_dataset', 'fvgpt.engine'], allow_failed_imports=False)

dataset_type = 'ToyWorldSegDataset'
seg_data_root = 'data/toyworld_seg/toyworld'  # the segmenter's training world
bench_data_root = 'data/toyworld'  # the benchmark world (tools/toyworld/generate.py)

train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=seg_data_root,
        split='train',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=seg_data_root,
        split='val',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
test_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=bench_data_root,
        split='test',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator

# A short schedule for a CPU: warm-up then poly decay over 300 iterations of 16 crops. Deliberately
# short (issue 14, condition 5): after 1500 iterations (the previous schedule) its masks of the
# benchmark's training images were right (IoU >= 0.75) on 83% and wrong (< 0.5) on only 3%, too
# good for FVG-PT's reliability gate to have anything to decide; after 300, right on about 63% and
# wrong on about 7%, mostly images with a large distractor, which it marks as well.
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-2, by_epoch=False, begin=0, end=10),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=10, end=300, by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=300, val_interval=300)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=300, max_keep_ckpts=1))
# Checkpoints that load with torch.load(weights_only=True): fvgpt's hook. Its scope 'fvgpt' is a
# child of 'mmpretrain', not of the root registry, so an mmseg-scope config names it by that path.
custom_hooks = [dict(type='mmpretrain.fvgpt.WeightsOnlyCheckpointHook')]
randomness = dict(seed=0)
