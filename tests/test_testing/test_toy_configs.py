"""The toy-world stage-1 and FVG-PT configs the end-to-end tests train (fvgpt/testing/
toy_configs.py): they parse as the shipped configs do and say what their options say."""
from mmengine.config import Config

from fvgpt.testing import ADAMW, SGD, tiny_coop_cfg, write_stage1, write_stage2

GPA = dict(type='GaussianPromptAggregationHook', mean=15.0, std=1.0)


def test_stage1_options_reach_the_config(tmp_path):
    path = write_stage1(str(tmp_path / 'coop_toy.py'), '/data', epochs=2, workers=2)
    cfg = Config.fromfile(path)
    assert cfg.model == tiny_coop_cfg(n_ctx=4)
    train = cfg.train_dataloader
    assert (train.batch_size, train.num_workers, train.persistent_workers) == (2, 2, True)
    assert train.dataset.data_root == '/data' and train.dataset.num_shots == 4
    assert (train.dataset.split, train.dataset.subsample) == ('train', 'base')
    assert cfg.optim_wrapper.optimizer == SGD and cfg.train_cfg.max_epochs == 2
    runtime_hooks = [h['type'] for h in cfg.custom_hooks]
    cfg = Config.fromfile(
        write_stage1(
            str(tmp_path / 'other.py'),
            '/data',
            dict(type='IVLP', clip=dict(type='OpenCLIP')),
            num_shots=2,
            batch_size=4,
            hooks=[GPA]))
    assert cfg.model.type == 'IVLP' and cfg.train_dataloader.dataset.num_shots == 2
    assert cfg.train_dataloader.batch_size == 4 and not cfg.train_dataloader.persistent_workers
    assert [h['type'] for h in cfg.custom_hooks] == runtime_hooks + [GPA['type']]


def test_stage2_wraps_stage1_as_the_shipped_fvgpt_configs_do(tmp_path):
    stage1 = write_stage1(str(tmp_path / 'coop_toy.py'), '/data', hooks=[GPA])
    cfg = Config.fromfile(write_stage2(str(tmp_path / 'fvgpt.py'), stage1, '/w1/epoch_3.pth'))
    assert cfg.model.type == 'FVGPT' and cfg.model.backbone == tiny_coop_cfg(n_ctx=4)
    assert (cfg.model.backbone_ckpt, cfg.model.stage1_config) == ('/w1/epoch_3.pth', stage1)
    assert {'base_head', 'new_head'} <= set(cfg.model)  # FVG-PT's fields from fvgpt_heads.py
    dataset = cfg.train_dataloader.dataset
    assert dataset.with_mask and dataset.on_missing == 'error'
    crop = [t for t in dataset.pipeline if t['type'] == 'PairedRandomResizedCrop']
    assert [(t['scale'], t['crop_ratio_range']) for t in crop] == [(32, (0.5, 1.0))]
    assert cfg.optim_wrapper.optimizer == ADAMW and cfg.train_cfg.max_epochs == 2
    assert GPA['type'] in [h['type'] for h in cfg.custom_hooks]  # stage 1's, kept by default
    cfg = Config.fromfile(
        write_stage2(
            str(tmp_path / 'fvgpt2.py'),
            stage1,
            '/w1',
            epochs=None,
            on_missing='invalid',
            optimizer=None,
            hooks=[dict(type='ClassListHook')],
            window_size=1))
    assert cfg.optim_wrapper.optimizer.type == 'SGD'  # stage 1's, as the bases merge it
    assert cfg.train_cfg.max_epochs == 3 and cfg.log_processor.window_size == 1
    assert cfg.custom_hooks == [dict(type='ClassListHook')]
    assert cfg.train_dataloader.dataset.on_missing == 'invalid'
