# FVG-PT (stage 2) on TCP, base-to-new on Food101. Train stage 1 first; this loads its last
# checkpoint from work_dirs/tcp_b2n_food101 (model.backbone_ckpt='auto').
#   python tools/train.py configs/tcp/tcp_b2n_food101.py
#   python tools/train.py configs/fvgpt/tcp_b2n_food101.py
#   python tools/test.py configs/fvgpt/tcp_b2n_food101.py \
#       work_dirs/fvgpt_tcp_b2n_food101/epoch_50.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_tcp_b2n.py']
# The backbone as stage 1 built it (its prompt words and hand template).
model = dict(
    stage1_config='configs/tcp/tcp_b2n_food101.py',
    backbone=dict(
        prompt_learner=dict(prompt_template='{}, a type of food.'),
        knowledge_template='a photo of a {}, a type of food.'))
train_dataloader = dict(dataset=dict(type='Food101'))
val_dataloader = dict(dataset=dict(type='Food101'))
test_dataloader = dict(dataset=dict(type='Food101'))
work_dir = 'work_dirs/fvgpt_tcp_b2n_food101'  # not stage 1's (same config name)
