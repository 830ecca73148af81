# CoOp's base-to-new data protocol. The dataset type is set by each configs/<method>/*_b2n_<ds>.py;
# `data_root` is CoOp's $DATA folder (see docs/datasets.md, and tools/check_data.py to verify it).
data_root = 'data'

# Dassl's transforms: RandomResizedCrop(224, scale=(0.08, 1)) + flip for training; an
# aspect-preserving Resize(224) of the shorter side + CenterCrop(224) for testing, bicubic.
# The Paired* transforms are mmpretrain's / mmcv's, which also move a foreground mask when one is
# loaded (FVG-PT); without one they are the originals.
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PairedRandomResizedCrop', scale=224, crop_ratio_range=(0.08, 1.0),
         interpolation='bicubic'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='mmpretrain.PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PairedResizeEdge', scale=224, edge='short', interpolation='bicubic'),
    dict(type='PairedCenterCrop', crop_size=224),
    dict(type='mmpretrain.PackInputs'),
]

train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    # 16 shots per class drawn with `seed` over all classes, then the base half (CoOp's rule).
    dataset=dict(data_root=data_root, split='train', subsample='base', num_shots=16, seed=1,
                 pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=100,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(data_root=data_root, split='val', subsample='base', num_shots=16, seed=1,
                 pipeline=test_pipeline),
)
# Which half is scored: subsample='base' or 'new'
# (tools/test.py ... --cfg-options test_dataloader.dataset.subsample=new).
test_dataloader = dict(
    batch_size=100,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(data_root=data_root, split='test', subsample='base', pipeline=test_pipeline),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
