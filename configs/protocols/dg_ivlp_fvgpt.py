# Domain generalization (ImageNet -> -V2, -Sketch, -A, -R; see dg_coop.py) for the IVLP backbone:
# IVLP (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/ivlp/, configs/fvgpt/ivlp_b2n_*.py): JREion/FVG-PT ships no
# protocol-specific IVLP yaml (override with a method's cfg_options). Zero-shot CLIP: dg_coop.py.
#   python tools/run_protocol.py configs/protocols/dg_ivlp_fvgpt.py --data-root $DATA
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
seeds = [1, 2, 3]
methods = [
    dict(name='ivlp', config='configs/ivlp/ivlp_b2n_{dataset}.py'),
    dict(
        name='fvgpt_ivlp',
        config='configs/fvgpt/ivlp_b2n_{dataset}.py',
        stage1='ivlp',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/dg_ivlp_fvgpt'
