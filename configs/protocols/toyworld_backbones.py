# Every backbone (CoOp, KgCoOp, IVLP, PromptSRC, MMRL, MaPLe, TCP, CoCoOp; stage 1) and FVG-PT on
# each (stage 2), with zero-shot ToyCLIP, base-to-new on the embedded toy world, on a CPU
# (tools/toyworld/generate.py writes data/toyworld first; FVG-PT reads the generator's masks):
#   python tools/run_protocol.py configs/protocols/toyworld_backbones.py
datasets = ['toyworld']
seeds = [1]
methods = [
    dict(name='zsclip', config='configs/zsclip/zsclip_b2n_{dataset}.py', train=False, seeded=False),
    dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'),
    dict(
        name='fvgpt_coop',
        config='configs/fvgpt/coop_b2n_{dataset}.py',
        stage1='coop',
        stage1_key='model.backbone_ckpt'),
    dict(name='ivlp', config='configs/ivlp/ivlp_b2n_{dataset}.py'),
    dict(
        name='fvgpt_ivlp',
        config='configs/fvgpt/ivlp_b2n_{dataset}.py',
        stage1='ivlp',
        stage1_key='model.backbone_ckpt'),
    dict(name='kgcoop', config='configs/kgcoop/kgcoop_b2n_{dataset}.py'),
    dict(
        name='fvgpt_kgcoop',
        config='configs/fvgpt/kgcoop_b2n_{dataset}.py',
        stage1='kgcoop',
        stage1_key='model.backbone_ckpt'),
    dict(name='promptsrc', config='configs/promptsrc/promptsrc_b2n_{dataset}.py'),
    dict(
        name='fvgpt_promptsrc',
        config='configs/fvgpt/promptsrc_b2n_{dataset}.py',
        stage1='promptsrc',
        stage1_key='model.backbone_ckpt'),
    dict(name='mmrl', config='configs/mmrl/mmrl_b2n_{dataset}.py'),
    dict(
        name='fvgpt_mmrl',
        config='configs/fvgpt/mmrl_b2n_{dataset}.py',
        stage1='mmrl',
        stage1_key='model.backbone_ckpt'),
    dict(name='maple', config='configs/maple/maple_b2n_{dataset}.py'),
    dict(
        name='fvgpt_maple',
        config='configs/fvgpt/maple_b2n_{dataset}.py',
        stage1='maple',
        stage1_key='model.backbone_ckpt'),
    dict(name='tcp', config='configs/tcp/tcp_b2n_{dataset}.py'),
    dict(
        name='fvgpt_tcp',
        config='configs/fvgpt/tcp_b2n_{dataset}.py',
        stage1='tcp',
        stage1_key='model.backbone_ckpt'),
    dict(name='cocoop', config='configs/cocoop/cocoop_b2n_{dataset}.py'),
    dict(
        name='fvgpt_cocoop',
        config='configs/fvgpt/cocoop_b2n_{dataset}.py',
        stage1='cocoop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/toyworld_backbones'
