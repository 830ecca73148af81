# FVG-PT (stage 2, METHOD.md): what the stage-2 configs of every backbone share. Each
# hyper-parameter of METHOD.md is a field here, at its documented default; the per-backbone bases
# (fvgpt_<backbone>_b2n.py) add the backbone and its stage-2 recipe, the leaves the dataset.

# CLIP's normalization is not typed here: FVGPT's default data preprocessor
# (FVGPTDataPreprocessor, RGB) and ForegroundView's default fill take open_clip's
# OPENAI_DATASET_MEAN / _STD, the backbone's own (FVGPT checks that the two agree).

# Everything of model=dict(type='FVGPT', ...) but the backbone and its stage-1 checkpoint.
fvgpt_model = dict(
    # 'auto': the split of the dataset scored (metainfo subsample) picks the branch: base ->
    # z_fdc, new -> z_pc ('base' / 'new' force one).
    test_branch='auto',
    base_head=dict(
        type='FDCHead',
        adapter=dict(type='FDCAdapter', bottleneck=64, init_scale=1e-3),  # fdc_init_scale
        logit_scale=100.0,  # fdc_logit_scale
        gate=dict(  # Foreground Reliability Gate
            type='ForegroundReliabilityGate',
            hidden=32,  # gate_hidden
            tau=2.0,  # temperature of p_full, p_fg in its features (METHOD.md: unnamed)
            area_min=0.02,
            area_max=0.98),
        loss_ce=dict(type='mmpretrain.CrossEntropyLoss', loss_weight=1.0),
        loss_dist=dict(
            type='ForegroundDistillationLoss',
            tau=2.0,  # tau_d
            dist_mode='dual_teacher',  # or 'mixed_teacher'
            detach_gate=True,
            loss_weight=10.0),  # lambda_d
        loss_gate=dict(type='GateSupervisionLoss', delta=0.0, loss_weight=1.0)),  # lambda_rg
    new_head=dict(
        type='PriorCalibrationHead',
        gate=dict(type='BackboneReliabilityGate', hidden=32, tau=2.0),
        loss=dict(
            type='PriorCalibrationLoss', tau_pc=2.0, tau_kl=2.0, use_kl=True,
            loss_weight=1.0)),  # lambda_n
)

# Stage 2 trains on the base classes with random resized crop + flip (JREion/FVG-PT
# configs/trainers/FVGPT_CoOp/*.yaml: TRANSFORMS ["random_resized_crop", "random_flip",
# "normalize"], decoded and resized with PIL as in configs/_base_/datasets/coop_b2n.py), applied
# to the image and its foreground mask alike; the foreground view is composed after them.
# Testing needs no mask.
fvgpt_image_size = 224
fvgpt_train_pipeline = [
    dict(
        type='LoadImageFromFile', imdecode_backend='pillow', color_type='color_ignore_orientation'),
    dict(type='LoadForegroundMask'),
    dict(
        type='PairedRandomResizedCrop',
        scale=fvgpt_image_size,
        crop_ratio_range=(0.08, 1.0),
        interpolation='bicubic',
        backend='pillow'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(
        type='ForegroundView',
        mode='masked',  # fg_view: 'masked', 'crop' or 'blur'; 'masked' fills with CLIP's mean
        to_rgb=True),
    dict(type='mmpretrain.PackInputs', algorithm_keys=('img_fg', 'gt_fg_mask', 'fg_mask_valid')),
]
