# Domain generalization (CoCoOp paper, Table 3): train on ImageNet, all 1000 classes, 16 shots;
# test on ImageNet and, unchanged, on ImageNet-V2, -Sketch, -A and -R (-A / -R: their 200
# classes). The table: ImageNet, each target, and the mean of the 4 targets.
#   python tools/run_protocol.py configs/protocols/dg_coop.py --data-root $DATA
# Another backbone plugs in as one more entry of `methods` (its ImageNet config under
# {dataset}). FVG-PT trains its stage 2 on all ImageNet classes (the masks of ImageNet's train
# images are needed) and scores with test_branch='auto': a target with ImageNet's 1000 classes
# (-V2, -Sketch) with the base branch z_fdc, one with other classes (-A, -R) with z_pc.
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
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
work_dir = 'work_dirs/dg_coop'
