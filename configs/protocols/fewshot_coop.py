# Few-shot classification (CoOp paper, Figure 3): all classes, 1 / 2 / 4 / 8 / 16 shots per
# class, the 11 datasets, seeds 1-3, top-1 on the whole test split. CoOp runs the FVG-PT authors'
# recipe (configs/coop/coop_b2n_<dataset>.py) at every number of shots.
#   python tools/run_protocol.py configs/protocols/fewshot_coop.py --data-root $DATA
# Another backbone plugs in as one more entry of `methods`. FVG-PT is not listed (see
# dg_coop.py).
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
]
work_dir = 'work_dirs/fewshot_coop'
