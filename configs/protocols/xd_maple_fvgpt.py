# Cross-dataset transfer (ImageNet -> the other 10 datasets; see xd_coop.py) for the MaPLe
# backbone: MaPLe (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' cross-dataset yaml (muzairkhattak/multimodal-prompt-learning
# configs/trainers/MaPLe/vit_b16_c2_ep5_batch4_2ctx_cross_datasets.yaml: depth 3, SGD 0.0026,
# batch 4, 2 epochs), which their scripts/maple/xd_*.sh train on ImageNet and test on the
# cross-dataset and DG targets: configs/maple/maple_xd_imagenet.py, configs/fvgpt/
# maple_xd_imagenet.py. Zero-shot CLIP: xd_coop.py.
#   python tools/run_protocol.py configs/protocols/xd_maple_fvgpt.py --data-root $DATA
kind = 'xd'
source = 'imagenet'
targets = [
    'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101', 'fgvc_aircraft',
    'sun397', 'dtd', 'eurosat', 'ucf101'
]
seeds = [1, 2, 3]
methods = [
    dict(name='maple', config='configs/maple/maple_xd_{dataset}.py'),
    dict(
        name='fvgpt_maple',
        config='configs/fvgpt/maple_xd_{dataset}.py',
        stage1='maple',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/xd_maple_fvgpt'
