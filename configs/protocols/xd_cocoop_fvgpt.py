# Cross-dataset transfer (ImageNet -> the other 10 datasets; see xd_coop.py) for the CoCoOp
# backbone: CoCoOp (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run their B2N recipes (configs/cocoop/, configs/fvgpt/cocoop_b2n_*.py); CoCoOp's authors
# train the transfer source with the same yaml (KaiyangZhou/CoOp scripts/cocoop/xd_train.sh:
# vit_b16_c4_ep10_batch1_ctxv1, all ImageNet classes). Zero-shot CLIP: xd_coop.py.
#   python tools/run_protocol.py configs/protocols/xd_cocoop_fvgpt.py --data-root $DATA
kind = 'xd'
source = 'imagenet'
targets = [
    'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101', 'fgvc_aircraft',
    'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(name='cocoop', config='configs/cocoop/cocoop_b2n_{dataset}.py'),
    dict(
        name='fvgpt_cocoop',
        config='configs/fvgpt/cocoop_b2n_{dataset}.py',
        stage1='cocoop',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/xd_cocoop_fvgpt'
