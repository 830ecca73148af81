# FVG-PT (stage 2) on TCP, base-to-new on OxfordPets. Train stage 1 first; this loads its last
# checkpoint from work_dirs/tcp_b2n_oxford_pets (model.backbone_ckpt='auto').
#   python tools/train.py configs/tcp/tcp_b2n_oxford_pets.py
#   python tools/train.py configs/fvgpt/tcp_b2n_oxford_pets.py
#   python tools/test.py configs/fvgpt/tcp_b2n_oxford_pets.py \
#       work_dirs/fvgpt_tcp_b2n_oxford_pets/epoch_50.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_tcp_b2n.py']
# The backbone as stage 1 built it (its prompt words and hand template).
model = dict(
    stage1_config='configs/tcp/tcp_b2n_oxford_pets.py',
    backbone=dict(prompt_learner=dict(prompt_template='{}, a type of pet.')))
train_dataloader = dict(dataset=dict(type='OxfordPets'))
val_dataloader = dict(dataset=dict(type='OxfordPets'))
test_dataloader = dict(dataset=dict(type='OxfordPets'))
work_dir = 'work_dirs/fvgpt_tcp_b2n_oxford_pets'  # not stage 1's (same config name)
