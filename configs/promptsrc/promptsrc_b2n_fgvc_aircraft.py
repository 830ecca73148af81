# PromptSRC (IVLP prompts 4+4 to depth 9, GPA) on the base classes of FGVCAircraft, CLIP ViT-B/16,
# 16 shots. Recipe: JREion/FVG-PT configs/trainers/PromptSRC/vit_b16_c2_ep10_batch32_4+4ctx.yaml.
#   python tools/train.py configs/promptsrc/promptsrc_b2n_fgvc_aircraft.py
_base_ = [
    '../_base_/models/promptsrc_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/promptsrc_b2n.py', '../_base_/default_runtime.py'
]
custom_hooks = [*_base_.custom_hooks, _base_.promptsrc_gpa_hook]
train_dataloader = dict(
    batch_size=32, dataset=dict(type='FGVCAircraft', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
