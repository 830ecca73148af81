# The toy world (fvgpt.toyworld; tools/toyworld/generate.py writes it under data/toyworld) in
# CoOp's layout, read by the ordinary split-file dataset: 30 classes (colour x shape), 15 base /
# 15 new, 64 px images, 16 shots per class.
data_root = 'data'
dataset = dict(
    type='CoOpSplitDataset',
    data_root=data_root,
    dataset_dir='toyworld',
    image_dir='images',
    split_file='split_zhou_ToyWorld.json',
    templates=['a photo of a {}.'],
    dataset_name='toyworld')

# The recipes of coop_b2n.py at 64 px, PIL decoding and PIL bicubic as there. Stage 1 (CoOp):
# Dassl's `center_crop` list, a resize to 64 x 64 (a no-op on the generator's 64 px images).
load_image = dict(
    type='LoadImageFromFile', imdecode_backend='pillow', color_type='color_ignore_orientation')
center_crop_train_pipeline = [
    load_image,
    dict(
        type='PairedResize',
        scale=(64, 64),
        keep_ratio=False,
        interpolation='bicubic',
        backend='pillow'),
    dict(type='mmpretrain.PackInputs'),
]
# Random resized crop + flip (FVG-PT's stage 2). The crop keeps at least half the image: at
# 64 px a crop of 8% of the area is 18 px and often misses the object altogether.
rrc05_flip_train_pipeline = [
    load_image,
    dict(
        type='PairedRandomResizedCrop',
        scale=64,
        crop_ratio_range=(0.5, 1.0),
        interpolation='bicubic',
        backend='pillow'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='mmpretrain.PackInputs'),
]
test_pipeline = [
    load_image,
    dict(
        type='PairedResizeEdge', scale=64, edge='short', interpolation='bicubic', backend='pillow'),
    dict(type='PairedCenterCrop', crop_size=64),
    dict(type='mmpretrain.PackInputs'),
]
train_pipeline = center_crop_train_pipeline

train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        **dataset, split='train', subsample='base', num_shots=16, seed=1, pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        **dataset, split='val', subsample='base', num_shots=16, seed=1, pipeline=test_pipeline),
)
test_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(**dataset, split='test', subsample='base', pipeline=test_pipeline),
)
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
