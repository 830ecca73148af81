from mmengine.config import Config

from fvgpt.utils import apply_seed


def make_cfg():
    return Config(
        dict(
            randomness=dict(seed=1),
            model=dict(
                type='X',
                backbone_checkpoint='work_dirs/a/seed{seed}/epoch_10.pth',
                templates=['a photo of a {}.']),
            train_dataloader=dict(dataset=dict(type='D', seed=1)),
            val_dataloader=dict(
                dataset=dict(
                    type='ConcatDataset', datasets=[dict(type='D', seed=1),
                                                    dict(type='E')])),
            test_dataloader=dict(dataset=dict(type='D')),
        ))


def test_seed_everywhere():
    cfg = make_cfg()
    assert apply_seed(cfg, 3) == 3
    assert cfg.randomness.seed == 3
    assert cfg.train_dataloader.dataset.seed == 3
    assert cfg.val_dataloader.dataset.datasets[0].seed == 3
    assert 'seed' not in cfg.val_dataloader.dataset.datasets[1]
    assert 'seed' not in cfg.test_dataloader.dataset  # not added where the dataset has none
    assert cfg.model.backbone_checkpoint == 'work_dirs/a/seed3/epoch_10.pth'
    assert cfg.model.templates == ['a photo of a {}.']  # other braces untouched


def test_without_cli_seed_the_config_seed_fills_paths():
    cfg = make_cfg()
    assert apply_seed(cfg) == 1
    assert cfg.model.backbone_checkpoint == 'work_dirs/a/seed1/epoch_10.pth'
    assert cfg.train_dataloader.dataset.seed == 1
