# PromptSRC for cross-dataset transfer and domain generalization: trained once on all 1000 ImageNet
# classes (16 shots), then tested on the target datasets (configs/protocols/ xd_promptsrc_fvgpt.py,
# dg_promptsrc_fvgpt.py). CLIP ViT-B/16. Recipe: JREion/FVG-PT configs/trainers/PromptSRC/
# vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml: prompts 4+4 to depth 3 (PROMPT_DEPTH_TEXT /
# _VISION), GPA 6 / 10, SGD 0.0035, batch 4, 5 epochs (schedules/promptsrc_xd.py).
#   python tools/train.py configs/promptsrc/promptsrc_xd_imagenet.py
_base_ = [
    '../_base_/models/promptsrc_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/promptsrc_xd.py', '../_base_/default_runtime.py'
]
model = dict(prompt_learner=dict(depth_text=3, depth_vision=3))
custom_hooks = [*_base_.custom_hooks, _base_.promptsrc_gpa_hook]
train_dataloader = dict(
    batch_size=4,
    dataset=dict(type='ImageNet', subsample='all', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='ImageNet', subsample='all'))
test_dataloader = dict(dataset=dict(type='ImageNet', subsample='all'))
