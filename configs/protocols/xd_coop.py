# Cross-dataset transfer (CoCoOp paper, Table 2): train on ImageNet, all 1000 classes, 16 shots;
# test on all classes of each of the other 10 datasets. The table: ImageNet, each target, and
# the mean of the 10 targets.
#   python tools/run_protocol.py configs/protocols/xd_coop.py --data-root $DATA
# Another backbone plugs in as one more entry of `methods`. FVG-PT trains its stage 2 on all
# ImageNet classes and scores every target (other classes) with its new branch z_pc
# (test_branch='auto').
kind = 'xd'
source = 'imagenet'
targets = [
    'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101', 'fgvc_aircraft',
    'sun397', 'dtd', 'eurosat', 'ucf101'
]
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
work_dir = 'work_dirs/xd_coop'
