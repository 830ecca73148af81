# MaPLe (2 coupled prompt tokens, depth 9) on the base classes of FGVCAircraft, CLIP ViT-B/16,
# 16 shots. Recipe: muzairkhattak/multimodal-prompt-learning
# configs/trainers/MaPLe/vit_b16_c2_ep5_batch4_2ctx.yaml (SGD 0.0035, batch 4, 5 epochs, random
# resized crop + flip; the authors ran PREC fp16, here fp32 or `tools/train.py --amp`).
#   python tools/train.py configs/maple/maple_b2n_fgvc_aircraft.py
_base_ = [
    '../_base_/models/maple_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/maple_b2n.py', '../_base_/default_runtime.py'
]
train_dataloader = dict(dataset=dict(type='FGVCAircraft', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
