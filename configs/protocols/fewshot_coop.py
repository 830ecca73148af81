# Few-shot classification (CoOp paper, Figure 3): all classes, 1 / 2 / 4 / 8 / 16 shots per
# class, the 11 datasets, seeds 1-3, top-1 on the whole test split. CoOp runs the FVG-PT authors'
# recipe (configs/coop/coop_b2n_<dataset>.py) at every number of shots.
#   python tools/run_protocol.py configs/protocols/fewshot_coop.py --data-root $DATA
# Another backbone plugs in as one more entry of `methods`. FVG-PT trains its stage 2 on all
# classes at each number of shots and scores them with its base branch z_fdc.
kind = 'fewshot'
datasets = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
shots = [1, 2, 4, 8, 16]
seeds = [1, 2, 3]
methods = [
    dict(name='zsclip', config='configs/zsclip/zsclip_b2n_{dataset}.py', train=False, seeded=False),
    dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'),
    # FVG-PT on CoOp: stage 2 on every class of the source (its stage 1's classes), masks needed
    dict(
        name='fvgpt',
        config='configs/fvgpt/coop_b2n_{dataset}.py',
        stage1='coop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/fewshot_coop'
