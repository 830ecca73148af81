# The B2N protocol of the paper's main table for the CoOp backbone: zero-shot CLIP, CoOp (stage 1)
# and FVG-PT on CoOp (stage 2), on the 11 datasets, seeds 1-3.
#   python tools/run_protocol.py configs/protocols/b2n_coop_fvgpt.py --data-root $DATA
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    # paper: the metafile model whose published numbers the table shows beside this run's
    dict(
        name='zsclip',
        config='configs/zsclip/zsclip_b2n_{dataset}.py',
        train=False,
        seeded=False,
        paper='zsclip_vit-b16_b2n'),
    dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'),
    dict(
        name='fvgpt',
        config='configs/fvgpt/coop_b2n_{dataset}.py',
        stage1='coop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/b2n_coop_fvgpt'
