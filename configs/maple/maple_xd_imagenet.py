# MaPLe for cross-dataset transfer and domain generalization: trained on all ImageNet classes,
# 16 shots, with the authors' cross-dataset yaml (muzairkhattak/multimodal-prompt-learning
# configs/trainers/MaPLe/vit_b16_c2_ep5_batch4_2ctx_cross_datasets.yaml: prompt depth 3, SGD
# 0.0026, batch 4, 2 epochs; schedules/maple_xd.py), then tested on the targets
# (configs/protocols/{xd,dg}_maple_fvgpt.py set all classes and the targets).
#   python tools/run_protocol.py configs/protocols/xd_maple_fvgpt.py --data-root $DATA
_base_ = [
    '../_base_/models/maple_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/maple_xd.py', '../_base_/default_runtime.py'
]
model = dict(prompt_learner=dict(depth=3))
train_dataloader = dict(dataset=dict(type='ImageNet', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='ImageNet'))
test_dataloader = dict(dataset=dict(type='ImageNet'))
