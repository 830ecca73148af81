# The README's main job on the embedded toy world: zero-shot ToyCLIP, CoOp (stage 1) and FVG-PT
# on CoOp (stage 2), base-to-new, on a CPU.
#   python tools/run_protocol.py configs/protocols/toyworld_demo.py
datasets = ['toyworld']
seeds = [1]
methods = [
    dict(name='zsclip', config='configs/zsclip/zsclip_b2n_{dataset}.py', train=False, seeded=False),
    dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'),
    dict(
        name='fvgpt',
        config='configs/fvgpt/coop_b2n_{dataset}.py',
        stage1='coop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/toyworld_demo'
