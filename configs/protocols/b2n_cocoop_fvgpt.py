# The B2N protocol for the CoCoOp backbone: CoCoOp (stage 1) and FVG-PT on CoCoOp (stage 2), on the
# 11 datasets, seeds 1-3 (zero-shot CLIP: configs/protocols/b2n_coop_fvgpt.py).
#   python tools/run_protocol.py configs/protocols/b2n_cocoop_fvgpt.py --data-root $DATA
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    # the published 11-dataset average beside the run's (configs/cocoop/metafile.yml)
    dict(
        name='cocoop', config='configs/cocoop/cocoop_b2n_{dataset}.py', paper='cocoop_vit-b16_b2n'),
    dict(
        name='fvgpt_cocoop',
        config='configs/fvgpt/cocoop_b2n_{dataset}.py',
        stage1='cocoop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/b2n_cocoop_fvgpt'
