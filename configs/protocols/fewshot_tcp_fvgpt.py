# Few-shot classification (all classes, 1/2/4/8/16 shots; see fewshot_coop.py) for the TCP
# backbone: TCP (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/tcp/, configs/fvgpt/tcp_b2n_*.py); the authors' own
# protocol-specific yamls (e.g. a shorter ImageNet / cross-dataset schedule) are not separate
# configs yet: override them with a method's cfg_options. Zero-shot CLIP: fewshot_coop.py.
#   python tools/run_protocol.py configs/protocols/fewshot_tcp_fvgpt.py --data-root $DATA
kind = 'fewshot'
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
shots = [1, 2, 4, 8, 16]
seeds = [1, 2, 3]
methods = [
    dict(name='tcp', config='configs/tcp/tcp_b2n_{dataset}.py'),
    dict(
        name='fvgpt_tcp',
        config='configs/fvgpt/tcp_b2n_{dataset}.py',
        stage1='tcp',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/fewshot_tcp_fvgpt'
