"""The test split with masks: the pipeline loads and packs the mask, only paired geometric
transforms are accepted, and compared models share one mask folder."""
import pytest
from mmengine.config import Config

from fvgpt.analysis import mask_dataset_cfg, mask_pipeline, shared_mask_root

TEST_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='PairedResizeEdge', scale=64, edge='short'),
    dict(type='PairedCenterCrop', crop_size=64),
    dict(type='mmpretrain.PackInputs'),
]


def test_mask_pipeline_loads_the_mask_after_the_image_and_packs_it():
    out = mask_pipeline(TEST_PIPELINE)
    assert [t['type'] for t in out] == [
        'LoadImageFromFile', 'LoadForegroundMask', 'PairedResizeEdge', 'PairedCenterCrop',
        'mmpretrain.PackInputs'
    ]
    assert out[-1]['algorithm_keys'] == ('gt_fg_mask', 'fg_mask_valid')
    assert 'algorithm_keys' not in TEST_PIPELINE[-1]  # the config is left alone


def test_unpaired_geometric_transforms_are_refused_with_the_fix():
    pipeline = [TEST_PIPELINE[0], dict(type='mmpretrain.ResizeEdge', scale=64), TEST_PIPELINE[-1]]
    with pytest.raises(ValueError, match='PairedResizeEdge'):
        mask_pipeline(pipeline)


def cfg(train_mask_root=None):
    train = dict(dataset=dict(type='CoOpSplitDataset'))
    if train_mask_root:
        train['dataset']['mask_root'] = train_mask_root
    return Config(
        dict(
            train_dataloader=train,
            test_dataloader=dict(
                dataset=dict(type='CoOpSplitDataset', subsample='base', pipeline=TEST_PIPELINE))))


def test_dataset_cfg_and_the_shared_mask_folder():
    dataset = mask_dataset_cfg(cfg('toyworld/mask_seg'), 'new')
    assert dataset['subsample'] == 'new' and dataset['with_mask']
    assert dataset['on_missing'] == 'invalid'  # reported and excluded, not an error
    assert dataset['mask_root'] == 'toyworld/mask_seg'
    assert 'mask_root' not in mask_dataset_cfg(cfg(), 'base')
    assert shared_mask_root([cfg(), cfg('a'), cfg('b')]) == 'a'
    assert shared_mask_root([cfg(), cfg('a')], 'given') == 'given'
    assert shared_mask_root([cfg()]) is None
