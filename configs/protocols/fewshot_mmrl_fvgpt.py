# Few-shot classification (all classes, 1/2/4/8/16 shots; see fewshot_coop.py) for the MMRL
# backbone: MMRL (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' few-shot recipes (JREion/FVG-PT configs/trainers/MMRL/vit_b16_few_shot.yaml
# and FVGPT_MMRL/vit_b16_few_shot.yaml): configs/mmrl/mmrl_fewshot_*.py and
# configs/fvgpt/mmrl_fewshot_*.py. Zero-shot CLIP: fewshot_coop.py.
#   python tools/run_protocol.py configs/protocols/fewshot_mmrl_fvgpt.py --data-root $DATA
kind = 'fewshot'
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
shots = [1, 2, 4, 8, 16]
seeds = [1, 2, 3]
methods = [
    dict(name='mmrl', config='configs/mmrl/mmrl_fewshot_{dataset}.py'),
    dict(
        name='fvgpt_mmrl',
        config='configs/fvgpt/mmrl_fewshot_{dataset}.py',
        stage1='mmrl',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/fewshot_mmrl_fvgpt'
