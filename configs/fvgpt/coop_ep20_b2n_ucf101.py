# FVG-PT (stage 2) on CoOp, base-to-new on UCF101: the authors' recipe
# FVGPT_CoOp/vit_b16_ep20.yaml (SGD lr 0.002, batch 4, 20 epochs).
# Train stage 1 first; this loads its last checkpoint from
# work_dirs/coop_ep20_b2n_ucf101 (model.backbone_ckpt='auto').
#   python tools/train.py configs/coop/coop_ep20_b2n_ucf101.py
#   python tools/train.py configs/fvgpt/coop_ep20_b2n_ucf101.py
_base_ = ['./_base_/fvgpt_coop_ep20_b2n.py']
model = dict(stage1_config='configs/coop/coop_ep20_b2n_ucf101.py')
train_dataloader = dict(dataset=dict(type='UCF101'))
val_dataloader = dict(dataset=dict(type='UCF101'))
test_dataloader = dict(dataset=dict(type='UCF101'))
work_dir = 'work_dirs/fvgpt_coop_ep20_b2n_ucf101'  # not stage 1's (same config name)
