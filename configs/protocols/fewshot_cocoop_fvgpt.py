# Few-shot classification (all classes, 1/2/4/8/16 shots; see fewshot_coop.py) for the CoCoOp
# backbone: CoCoOp (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/cocoop/, configs/fvgpt/cocoop_b2n_*.py); the authors' own
# protocol-specific yamls (e.g. a shorter ImageNet / cross-dataset schedule) are not separate
# configs yet: override them with a method's cfg_options. Zero-shot CLIP: fewshot_coop.py.
#   python tools/run_protocol.py configs/protocols/fewshot_cocoop_fvgpt.py --data-root $DATA
kind = 'fewshot'
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
shots = [1, 2, 4, 8, 16]
seeds = [1, 2, 3]
methods = [
    dict(name='cocoop', config='configs/cocoop/cocoop_b2n_{dataset}.py'),
    dict(
        name='fvgpt_cocoop',
        config='configs/fvgpt/cocoop_b2n_{dataset}.py',
        stage1='cocoop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/fewshot_cocoop_fvgpt'
