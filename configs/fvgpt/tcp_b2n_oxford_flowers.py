# FVG-PT (stage 2) on TCP, base-to-new on OxfordFlowers. Train stage 1 first; this loads its last
# checkpoint from work_dirs/tcp_b2n_oxford_flowers (model.backbone_ckpt='auto').
#   python tools/train.py configs/tcp/tcp_b2n_oxford_flowers.py
#   python tools/train.py configs/fvgpt/tcp_b2n_oxford_flowers.py
#   python tools/test.py configs/fvgpt/tcp_b2n_oxford_flowers.py \
#       work_dirs/fvgpt_tcp_b2n_oxford_flowers/epoch_50.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_tcp_b2n.py']
# The backbone as stage 1 built it (its prompt words and hand template).
model = dict(
    stage1_config='configs/tcp/tcp_b2n_oxford_flowers.py',
    backbone=dict(prompt_learner=dict(prompt_template='{}, a type of flower.')))
train_dataloader = dict(dataset=dict(type='Flowers102'))
val_dataloader = dict(dataset=dict(type='Flowers102'))
test_dataloader = dict(dataset=dict(type='Flowers102'))
work_dir = 'work_dirs/fvgpt_tcp_b2n_oxford_flowers'  # not stage 1's (same config name)
