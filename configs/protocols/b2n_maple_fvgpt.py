# The B2N protocol for the MaPLe backbone: MaPLe (stage 1) and FVG-PT on MaPLe (stage 2), on the 11
# datasets, seeds 1-3 (zero-shot CLIP: configs/protocols/b2n_coop_fvgpt.py), with the MaPLe paper's
# 11-dataset average beside MaPLe's (configs/maple/metafile.yml).
#   python tools/run_protocol.py configs/protocols/b2n_maple_fvgpt.py --data-root $DATA
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(name='maple', config='configs/maple/maple_b2n_{dataset}.py', paper='maple_vit-b16_b2n'),
    dict(
        name='fvgpt_maple',
        config='configs/fvgpt/maple_b2n_{dataset}.py',
        stage1='maple',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/b2n_maple_fvgpt'
