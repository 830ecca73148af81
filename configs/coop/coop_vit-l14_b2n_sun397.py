# CoOp on the base classes of SUN397, CLIP ViT-L/14 (OpenAI weights), 16 shots: the FVG-PT
# authors' recipe JREion/FVG-PT configs/trainers/CoOp/vit_l14_ep10.yaml: 4 context tokens,
# random init; SGD lr 0.0035, batch 4, 10 epochs, cosine after 1 constant warm-up epoch at
# 1e-5; transforms ["center_crop", "normalize"] = Resize((224, 224)).
# Precision: the yaml's trainer runs CLIP in fp16 (TRAINER.COOP.PREC 'fp16'); fvgpt runs fp32,
# tools/train.py --amp for mixed precision.
_base_ = [
    '../_base_/models/coop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/coop_b2n.py', '../_base_/default_runtime.py'
]
model = dict(clip=dict(model_name='ViT-L-14', pretrained='openai'))
train_dataloader = dict(dataset=dict(type='SUN397'))
val_dataloader = dict(dataset=dict(type='SUN397'))
test_dataloader = dict(dataset=dict(type='SUN397'))
