# Few-shot classification (all classes, 1/2/4/8/16 shots; see fewshot_coop.py) for the MaPLe
# backbone: MaPLe (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/maple/, configs/fvgpt/maple_b2n_*.py): MaPLe's authors
# ship no few-shot yaml. Zero-shot CLIP: fewshot_coop.py.
#   python tools/run_protocol.py configs/protocols/fewshot_maple_fvgpt.py --data-root $DATA
kind = 'fewshot'
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
shots = [1, 2, 4, 8, 16]
seeds = [1, 2, 3]
methods = [
    dict(name='maple', config='configs/maple/maple_b2n_{dataset}.py'),
    dict(
        name='fvgpt_maple',
        config='configs/fvgpt/maple_b2n_{dataset}.py',
        stage1='maple',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/fewshot_maple_fvgpt'
