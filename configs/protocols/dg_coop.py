# Domain generalization (CoCoOp paper, Table 3): train on ImageNet, all 1000 classes, 16 shots;
# test on ImageNet and, unchanged, on ImageNet-V2, -Sketch, -A and -R (-A / -R: their 200
# classes). The table: ImageNet, each target, and the mean of the 4 targets.
#   python tools/run_protocol.py configs/protocols/dg_coop.py --data-root $DATA
# Another backbone plugs in as one more entry of `methods` (its ImageNet config under
# {dataset}). FVG-PT is not listed: its stage 2 refuses training classes other than a base half
# (fvgpt/models/fvgpt/fvgpt.py, _check_training_classes), which all-class training needs.
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
seeds = [1, 2, 3]
methods = [
    dict(name='zsclip', config='configs/zsclip/zsclip_b2n_{dataset}.py', train=False, seeded=False),
    dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'),
]
work_dir = 'work_dirs/dg_coop'
