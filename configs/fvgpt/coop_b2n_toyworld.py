# FVG-PT (stage 2) on CoOp in the toy world, with ToyCLIP. Stage 1: configs/coop/coop_b2n_toyworld.py.
#   python tools/train.py configs/coop/coop_b2n_toyworld.py
#   python tools/train.py configs/fvgpt/coop_b2n_toyworld.py
#   python tools/test.py configs/fvgpt/coop_b2n_toyworld.py work_dirs/fvgpt_coop_b2n_toyworld/epoch_10.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
# The masks are read from the toy world's mask/ folder (the generator's), or from the one given
# by train_dataloader.dataset.mask_root (the demo's segmenter-made masks).
_base_ = ['../coop/coop_b2n_toyworld.py', './_base_/fvgpt_coop.py']

stage1_config = 'configs/coop/coop_b2n_toyworld.py'
work_dir = 'work_dirs/fvgpt_coop_b2n_toyworld'  # not stage 1's (same config name)
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,
    backbone_ckpt='work_dirs/coop_b2n_toyworld',
    stage1_config=stage1_config,
    **_base_.fvgpt_model)

# METHOD.md's s_fdc = 100 is CLIP's own logit scale, which makes z_fdc start equal to z_full;
# ToyCLIP learned a smaller one, so the base branch uses the backbone's (logit_scale=None).
model.update(base_head=dict(_base_.fvgpt_model.base_head, logit_scale=None))

# The stage-2 pipeline of fvgpt_coop.py at the toy world's 64 px and crop range.
fvgpt_toy_train_pipeline = [
    dict(type='LoadImageFromFile', imdecode_backend='pillow',
         color_type='color_ignore_orientation'),
    dict(type='LoadForegroundMask'),
    dict(type='PairedRandomResizedCrop', scale=64, crop_ratio_range=(0.5, 1.0),
         interpolation='bicubic', backend='pillow'),
    dict(type='PairedRandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ForegroundView', mode='masked', mean=_base_.fvgpt_clip_mean, to_rgb=True),
    dict(type='mmpretrain.PackInputs', algorithm_keys=('img_fg', 'gt_fg_mask', 'fg_mask_valid')),
]
train_dataloader = dict(
    dataset=dict(subsample='base', with_mask=True, pipeline=fvgpt_toy_train_pipeline))
