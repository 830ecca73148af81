# Domain generalization (ImageNet -> -V2, -Sketch, -A, -R; see dg_coop.py) for the MaPLe
# backbone: MaPLe (stage 1) and FVG-PT on it (stage 2, on all classes).
# Both run the authors' cross-dataset yaml (muzairkhattak/multimodal-prompt-learning
# configs/trainers/MaPLe/vit_b16_c2_ep5_batch4_2ctx_cross_datasets.yaml: depth 3, SGD 0.0026,
# batch 4, 2 epochs), which their scripts/maple/xd_*.sh train on ImageNet and test on the
# cross-dataset and DG targets: configs/maple/maple_xd_imagenet.py, configs/fvgpt/
# maple_xd_imagenet.py. Zero-shot CLIP: dg_coop.py.
#   python tools/run_protocol.py configs/protocols/dg_maple_fvgpt.py --data-root $DATA
kind = 'dg'
source = 'imagenet'
targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
seeds = [1, 2, 3]
methods = [
    dict(name='maple', config='configs/maple/maple_xd_{dataset}.py'),
    dict(
        name='fvgpt_maple',
        config='configs/fvgpt/maple_xd_{dataset}.py',
        stage1='maple',
        stage1_key='model.backbone_ckpt'),
]
work_dir = 'work_dirs/dg_maple_fvgpt'
