# Domain generalization (ImageNet -> -V2, -Sketch, -A, -R; see dg_coop.py) for the MMRL backbone:
# MMRL (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' cross-dataset recipes (JREion/FVG-PT
# configs/trainers/MMRL/vit_b16_cross_datasets.yaml and FVGPT_MMRL/vit_b16_cross_datasets.yaml):
# configs/mmrl/mmrl_xd_*.py and configs/fvgpt/mmrl_xd_*.py. Scores: the authors' MMRL trainer
# tests cross-dataset runs with TASK "CD" (JREion/FVG-PT trainers/mmrl.py), the fusion of its
# class-token and representation logits on ImageNet itself, the class-token logits on every other
# dataset (ImageNet-V2/-Sketch/-A/-R included); so MMRL's source test fuses
# (source_cfg_options) and its target tests do not. FVG-PT on MMRL keeps its backbone's
# class-token logits everywhere, as it trains: the authors' FVG-PT trainer on MMRL is not in
# their repository, so no source rule of theirs is known. Zero-shot CLIP: dg_coop.py.
#   python tools/run_protocol.py configs/protocols/dg_mmrl_fvgpt.py --data-root $DATA
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
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
work_dir = 'work_dirs/dg_mmrl_fvgpt'
