# Cross-dataset transfer (ImageNet -> the other 10 datasets; see xd_coop.py) for the PromptSRC
# backbone: PromptSRC (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' cross-dataset recipes (JREion/FVG-PT
# configs/trainers/PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml and
# FVGPT_PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml):
# configs/promptsrc/promptsrc_xd_*.py and configs/fvgpt/promptsrc_xd_*.py. Zero-shot CLIP:
# xd_coop.py.
#   python tools/run_protocol.py configs/protocols/xd_promptsrc_fvgpt.py --data-root $DATA
kind = 'xd'
source = 'imagenet'
targets = [
    'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101', 'fgvc_aircraft',
    'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(name='promptsrc', config='configs/promptsrc/promptsrc_xd_{dataset}.py'),
    dict(
        name='fvgpt_promptsrc',
        config='configs/fvgpt/promptsrc_xd_{dataset}.py',
        stage1='promptsrc',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/xd_promptsrc_fvgpt'
