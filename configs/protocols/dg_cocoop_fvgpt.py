# Domain generalization (ImageNet -> -V2, -Sketch, -A, -R; see dg_coop.py) for the CoCoOp backbone:
# CoCoOp (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/cocoop/, configs/fvgpt/cocoop_b2n_*.py); CoCoOp's authors
# train the transfer source with the same yaml (KaiyangZhou/CoOp scripts/cocoop/xd_train.sh:
# vit_b16_c4_ep10_batch1_ctxv1, all ImageNet classes). Zero-shot CLIP: dg_coop.py.
#   python tools/run_protocol.py configs/protocols/dg_cocoop_fvgpt.py --data-root $DATA
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
seeds = [1, 2, 3]
methods = [
    dict(name='cocoop', config='configs/cocoop/cocoop_b2n_{dataset}.py'),
    dict(
        name='fvgpt_cocoop',
        config='configs/fvgpt/cocoop_b2n_{dataset}.py',
        stage1='cocoop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/dg_cocoop_fvgpt'
