# Cross-dataset transfer (ImageNet -> the other 10 datasets; see xd_coop.py) for the MMRL backbone:
# MMRL (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' cross-dataset recipes (JREion/FVG-PT
# configs/trainers/MMRL/vit_b16_cross_datasets.yaml and FVGPT_MMRL/vit_b16_cross_datasets.yaml):
# configs/mmrl/mmrl_xd_*.py and configs/fvgpt/mmrl_xd_*.py. Scores: the authors' MMRL trainer
# tests cross-dataset runs with TASK "CD" (JREion/FVG-PT trainers/mmrl.py), the fusion of its
# class-token and representation logits on ImageNet itself, the class-token logits on every other
# dataset (ImageNet-V2/-Sketch/-A/-R included); so MMRL's source test fuses
# (source_cfg_options) and its target tests do not. FVG-PT on MMRL keeps its backbone's
# class-token logits everywhere, as it trains: the authors' FVG-PT trainer on MMRL is not in
# their repository, so no source rule of theirs is known. Zero-shot CLIP: xd_coop.py.
#   python tools/run_protocol.py configs/protocols/xd_mmrl_fvgpt.py --data-root $DATA
kind = 'xd'
source = 'imagenet'
targets = [
    'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101', 'fgvc_aircraft',
    'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(
        name='mmrl',
        config='configs/mmrl/mmrl_xd_{dataset}.py',
        source_cfg_options={'model.fused_inference': 'always'},
        target_cfg_options={'model.fused_inference': 'never'}),
    dict(
        name='fvgpt_mmrl',
        config='configs/fvgpt/mmrl_xd_{dataset}.py',
        stage1='mmrl',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/xd_mmrl_fvgpt'
