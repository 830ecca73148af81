# The B2N protocol for the TCP backbone: TCP (stage 1) and FVG-PT on TCP (stage 2), on the
# 11 datasets, seeds 1-3 (zero-shot CLIP: configs/protocols/b2n_coop_fvgpt.py).
#   python tools/run_protocol.py configs/protocols/b2n_tcp_fvgpt.py --data-root $DATA
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    # paper: the method paper's published numbers (its own recipe), shown beside this run's
    dict(name='tcp', config='configs/tcp/tcp_b2n_{dataset}.py', paper='tcp_vit-b16_b2n'),
    dict(
        name='fvgpt_tcp',
        config='configs/fvgpt/tcp_b2n_{dataset}.py',
        stage1='tcp',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/b2n_tcp_fvgpt'
