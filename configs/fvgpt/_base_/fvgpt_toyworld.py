# FVG-PT (stage 2) in the toy world: the fields of fvgpt_heads.py with the toy world's 64 px
# images and crop range (datasets/toyworld_b2n.py), and ToyCLIP's own logit scale for FDC.
_base_ = ['./fvgpt_heads.py']

# METHOD.md's s_fdc = 100 is CLIP's own logit scale, which makes z_fdc start equal to z_full;
# ToyCLIP learned a smaller one, so the base branch uses the backbone's (logit_scale=None).
fvgpt_model = dict(base_head=dict(logit_scale=None))

fvgpt_toy_train_pipeline = [
    dict(
        type='LoadImageFromFile', imdecode_backend='pillow', color_type='color_ignore_orientation'),
    dict(type='LoadForegroundMask'),
    dict(
        type='PairedRandomResizedCrop',
        scale=64,
        crop_ratio_range=(0.5, 1.0),
        interpolation='bicubic',
        backend='pillow'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ForegroundView', mode='masked', to_rgb=True),
    dict(type='mmpretrain.PackInputs', algorithm_keys=('img_fg', 'gt_fg_mask', 'fg_mask_valid')),
]
