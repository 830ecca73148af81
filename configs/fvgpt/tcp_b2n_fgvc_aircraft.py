# FVG-PT (stage 2) on TCP, base-to-new on FGVCAircraft. Train stage 1 first; this loads its last
# checkpoint from work_dirs/tcp_b2n_fgvc_aircraft (model.backbone_ckpt='auto').
#   python tools/train.py configs/tcp/tcp_b2n_fgvc_aircraft.py
#   python tools/train.py configs/fvgpt/tcp_b2n_fgvc_aircraft.py
#   python tools/test.py configs/fvgpt/tcp_b2n_fgvc_aircraft.py \
#       work_dirs/fvgpt_tcp_b2n_fgvc_aircraft/epoch_50.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_tcp_b2n.py']
# The backbone as stage 1 built it (its prompt words and hand template).
model = dict(
    stage1_config='configs/tcp/tcp_b2n_fgvc_aircraft.py',
    backbone=dict(
        prompt_learner=dict(prompt_template='{}, a type of aircraft.'),
        knowledge_template='a photo of an aircraft {}.'))
train_dataloader = dict(dataset=dict(type='FGVCAircraft'))
val_dataloader = dict(dataset=dict(type='FGVCAircraft'))
test_dataloader = dict(dataset=dict(type='FGVCAircraft'))
work_dir = 'work_dirs/fvgpt_tcp_b2n_fgvc_aircraft'  # not stage 1's (same config name)
