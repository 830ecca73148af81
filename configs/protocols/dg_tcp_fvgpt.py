# Domain generalization (ImageNet -> -V2, -Sketch, -A, -R; see dg_coop.py) for the TCP backbone:
# TCP (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/tcp/, configs/fvgpt/tcp_b2n_*.py); the authors' own
# protocol-specific yamls (e.g. a shorter ImageNet / cross-dataset schedule) are not separate
# configs yet: override them with a method's cfg_options. Zero-shot CLIP: dg_coop.py.
#   python tools/run_protocol.py configs/protocols/dg_tcp_fvgpt.py --data-root $DATA
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
seeds = [1, 2, 3]
methods = [
    dict(name='tcp', config='configs/tcp/tcp_b2n_{dataset}.py'),
    dict(
        name='fvgpt_tcp',
        config='configs/fvgpt/tcp_b2n_{dataset}.py',
        stage1='tcp',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/dg_tcp_fvgpt'
