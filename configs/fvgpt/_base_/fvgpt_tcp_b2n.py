# FVG-PT (stage 2) on a frozen TCP backbone (models/tcp_vit_b16.py, as configs/tcp/*). The FVG-PT
# authors ship no FVGPT_TCP yaml; their FVGPT_<backbone> yamls repeat each backbone's own OPTIM
# block, so stage 2 runs TCP's (schedules/tcp_b2n.py; htyao89/Textual-based_Class-aware_prompt_
# tuning TCP/vit_b16_ep100_ctxv1.yaml): Adam lr 0.002 with eps 1e-3, batch 32, 50 epochs (25 on
# ImageNet and SUN397, their leaves), cosine with 1 constant warm-up epoch, random resized crop
# (0.08, 1) + flip of image and mask (fvgpt_heads.py). TCP's authors ran fp16 (PREC); here fp32,
# or `tools/train.py --amp`. A leaf adds the dataset and stage 1 (and TCP's per-dataset prompt).
_base_ = [
    '../../_base_/models/tcp_vit_b16.py', '../../_base_/datasets/coop_b2n.py',
    '../../_base_/schedules/tcp_b2n.py', '../../_base_/default_runtime.py', './fvgpt_heads.py'
]
model = dict(
    _delete_=True,
    type='FVGPT',
    backbone=_base_.model,  # stage 1's model, frozen
    backbone_ckpt='auto',  # work_dirs/<name of model.stage1_config>, see fvgpt_coop_b2n.py
    **_base_.fvgpt_model)
train_dataloader = dict(
    batch_size=32,
    dataset=dict(subsample='base', with_mask=True, pipeline=_base_.fvgpt_train_pipeline))
