# PromptSRC few-shot on Food101: all classes, K shots (configs/protocols/
# fewshot_promptsrc_fvgpt.py sets K = 1, 2, 4, 8, 16; 16 here), CLIP ViT-B/16. Recipe:
# JREion/FVG-PT configs/trainers/ PromptSRC/vit_b16_c2_ep50_batch4_4+4ctx_few_shot.yaml: prompts
# 4+4 to depth 9, GPA 30 / 30 (the yaml's setting for Food101), SGD 0.005, batch 8, 50 epochs
# (schedules/promptsrc_fewshot.py).
#   python tools/train.py configs/promptsrc/promptsrc_fewshot_food101.py
_base_ = [
    '../_base_/models/promptsrc_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/promptsrc_fewshot.py', '../_base_/default_runtime.py'
]
custom_hooks = [*_base_.custom_hooks, _base_.promptsrc_gpa_hook_generic]
default_hooks = dict(checkpoint=_base_.best_val_checkpoint)  # the yaml's FINAL_MODEL best_val
train_dataloader = dict(
    batch_size=8,
    dataset=dict(type='Food101', subsample='all', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='Food101', subsample='all'))
test_dataloader = dict(dataset=dict(type='Food101', subsample='all'))
