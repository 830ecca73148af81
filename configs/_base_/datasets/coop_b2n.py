# CoOp's base-to-new data protocol. The dataset type is set by each configs/<method>/*_b2n_<ds>.py;
# `data_root` is CoOp's $DATA folder (see docs/datasets.md, and tools/check_data.py to verify it).
data_root = 'data'

# Images reach CLIP as Dassl makes them (dassl/data/transforms/transforms.py, build_transform, at
# the authors' INPUT: SIZE (224, 224), INTERPOLATION bicubic): PIL decoding (Image.open(path)
# .convert('RGB'): no EXIF rotation) and PIL resizing (antialiased bicubic), so every transform
# runs with backend='pillow'. The Paired* transforms are mmpretrain's / mmcv's, which also move a
# foreground mask (nearest, same geometry) when one is loaded (FVG-PT); without one they are the
# originals. mmcv hands the image on as BGR uint8; the model's data preprocessor turns it to RGB
# (to_rgb=True) and applies CLIP's mean/std (Dassl's ToTensor + Normalize).
# Each pipeline below is one Dassl TRANSFORMS list; configs pick theirs by name.
load_image = dict(
    type='LoadImageFromFile', imdecode_backend='pillow', color_type='color_ignore_orientation')
pack_inputs = dict(type='mmpretrain.PackInputs')

# TRANSFORMS ["center_crop", "normalize"] (CoOp in JREion/FVG-PT): Dassl's training builder has no
# `center_crop` step; without a random crop it resizes to INPUT.SIZE, Resize((224, 224)), aspect
# ratio not kept. No random crop, no flip.
center_crop_train_pipeline = [
    load_image,
    dict(
        type='PairedResize',
        scale=(224, 224),
        keep_ratio=False,
        interpolation='bicubic',
        backend='pillow'),
    pack_inputs,
]
# TRANSFORMS ["random_resized_crop", "random_flip", "normalize"] at Dassl's default
# RRCROP_SCALE (0.08, 1) (KgCoOp, PromptSRC, and FVG-PT's stage 2 on CoOp / KgCoOp / PromptSRC):
# torchvision's RandomResizedCrop(224, scale=(0.08, 1), ratio=(3/4, 4/3)) + RandomHorizontalFlip().
rrc_flip_train_pipeline = [
    load_image,
    dict(
        type='PairedRandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.08, 1.0),
        aspect_ratio_range=(3. / 4., 4. / 3.),
        interpolation='bicubic',
        backend='pillow'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    pack_inputs,
]
# The same with RRCROP_SCALE (0.5, 1) (MMRL's yaml).
rrc05_flip_train_pipeline = [
    load_image,
    dict(
        type='PairedRandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.5, 1.0),
        aspect_ratio_range=(3. / 4., 4. / 3.),
        interpolation='bicubic',
        backend='pillow'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    pack_inputs,
]
# Dassl's test transform whatever the TRANSFORMS list: Resize(224) of the shorter side (the
# longer one truncated to an int) + CenterCrop(224).
test_pipeline = [
    load_image,
    dict(
        type='PairedResizeEdge', scale=224, edge='short', interpolation='bicubic',
        backend='pillow'),
    dict(type='PairedCenterCrop', crop_size=224),
    pack_inputs,
]
# Stage 1 of CoOp trains with the authors' `center_crop` list; other methods set
# train_dataloader.dataset.pipeline to the fragment their yaml names.
train_pipeline = center_crop_train_pipeline

train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    # 16 shots per class drawn with `seed` over all classes, then the base half (CoOp's rule).
    dataset=dict(
        data_root=data_root,
        split='train',
        subsample='base',
        num_shots=16,
        seed=1,
        pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=100,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        data_root=data_root,
        split='val',
        subsample='base',
        num_shots=16,
        seed=1,
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
