# CoOp on the base classes of Food101 as the CoCoOp paper ran it for base-to-new (its Table 1):
# KaiyangZhou/CoOp configs/trainers/CoOp/vit_b16_ctxv1.yaml, chosen for CoOp by
# scripts/cocoop/base2new_train.sh. Context "a photo of a" (4 tokens), shared, class token at
# the end; SGD lr 0.002, batch 32, 200 epochs, cosine after 1 constant warm-up epoch at 1e-5;
# transforms ["random_resized_crop", "random_flip", "normalize"].
# Precision: the yaml's trainer runs CLIP in fp16 (TRAINER.COOP.PREC 'fp16'); fvgpt runs fp32,
# tools/train.py --amp for mixed precision.
_base_ = [
    '../_base_/models/coop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/coop_b2n_cocoop_paper.py', '../_base_/default_runtime.py'
]
model = dict(prompt_learner=dict(n_ctx=4, ctx_init='a photo of a'))
train_dataloader = dict(
    batch_size=32, dataset=dict(type='Food101', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='Food101'))
test_dataloader = dict(dataset=dict(type='Food101'))
