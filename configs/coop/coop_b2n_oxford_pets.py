# CoOp on the base classes of OxfordPets, CLIP ViT-B/16, 16 shots: the FVG-PT authors' stage-1
# recipe, JREion/FVG-PT configs/trainers/CoOp/vit_b16_ep10.yaml (+ run_tuning.py's N_CTX 4,
# CSC False, class token at the end): 4 context tokens, random init; SGD lr 0.0035, batch 4,
# 10 epochs, cosine after 1 constant warm-up epoch at 1e-5; transforms ["center_crop",
# "normalize"] = Resize((224, 224)), no crop, no flip.
# Precision: the yaml's trainer runs CLIP in fp16 (TRAINER.COOP.PREC 'fp16'); fvgpt runs fp32,
# tools/train.py --amp for mixed precision.
_base_ = [
    '../_base_/models/coop_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/coop_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(type='OxfordPets'))
val_dataloader = dict(dataset=dict(type='OxfordPets'))
test_dataloader = dict(dataset=dict(type='OxfordPets'))
