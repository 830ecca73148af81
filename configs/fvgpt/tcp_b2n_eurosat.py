# FVG-PT (stage 2) on TCP, base-to-new on EuroSAT. Train stage 1 first; this loads its last
# checkpoint from work_dirs/tcp_b2n_eurosat (model.backbone_ckpt='auto').
#   python tools/train.py configs/tcp/tcp_b2n_eurosat.py
#   python tools/train.py configs/fvgpt/tcp_b2n_eurosat.py
#   python tools/test.py configs/fvgpt/tcp_b2n_eurosat.py \
#       work_dirs/fvgpt_tcp_b2n_eurosat/epoch_50.pth \
#       [--cfg-options test_dataloader.dataset.subsample=new]
_base_ = ['./_base_/fvgpt_tcp_b2n.py']
model = dict(stage1_config='configs/tcp/tcp_b2n_eurosat.py')
train_dataloader = dict(dataset=dict(type='EuroSAT'))
val_dataloader = dict(dataset=dict(type='EuroSAT'))
test_dataloader = dict(dataset=dict(type='EuroSAT'))
work_dir = 'work_dirs/fvgpt_tcp_b2n_eurosat'  # not stage 1's (same config name)
