# Cross-dataset transfer (ImageNet -> the other 10 datasets; see xd_coop.py) for the TCP
# backbone: TCP (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/tcp/, configs/fvgpt/tcp_b2n_*.py); the authors' own
# protocol-specific yamls (e.g. a shorter ImageNet / cross-dataset schedule) are not separate
# configs yet: override them with a method's cfg_options. Zero-shot CLIP: xd_coop.py.
#   python tools/run_protocol.py configs/protocols/xd_tcp_fvgpt.py --data-root $DATA
kind = 'xd'
source = 'imagenet'
targets = [
    'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101', 'fgvc_aircraft',
    'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(name='tcp', config='configs/tcp/tcp_b2n_{dataset}.py'),
    dict(
        name='fvgpt_tcp',
        config='configs/fvgpt/tcp_b2n_{dataset}.py',
        stage1='tcp',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/xd_tcp_fvgpt'
