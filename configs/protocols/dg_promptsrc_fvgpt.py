# Domain generalization (ImageNet -> -V2, -Sketch, -A, -R; see dg_coop.py) for the PromptSRC
# backbone: PromptSRC (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' cross-dataset recipes (JREion/FVG-PT
# configs/trainers/PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml and
# FVGPT_PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml):
# configs/promptsrc/promptsrc_xd_*.py and configs/fvgpt/promptsrc_xd_*.py. Zero-shot CLIP:
# dg_coop.py.
#   python tools/run_protocol.py configs/protocols/dg_promptsrc_fvgpt.py --data-root $DATA
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
seeds = [1, 2, 3]
methods = [
    dict(name='promptsrc', config='configs/promptsrc/promptsrc_xd_{dataset}.py'),
    dict(
        name='fvgpt_promptsrc',
        config='configs/fvgpt/promptsrc_xd_{dataset}.py',
        stage1='promptsrc',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/dg_promptsrc_fvgpt'
