"""The masks of a data list: the file each sample reads, and the reports of missing and unusable
masks (fvgpt/datasets/mask_report.py)."""
import os
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from fvgpt.datasets.mask_report import (attach_mask_paths, attach_masks, report_missing_masks,
                                        report_unusable_masks)
from fvgpt.segmentation.mask_layout import MaskLayout

WHERE = 'toy (train, base)'
CHECK = 'python tools/check_data.py --config <the config you ran> --masks'


def write_png(path, array):
    os.makedirs(osp.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path)


@pytest.fixture
def world(tmp_path):
    """Five 8x8 images; masks: good (as .png of the .jpg name), empty, full, 8x4 (another aspect
    ratio) and none."""
    root = str(tmp_path / 'toy')
    layout = MaskLayout(root, osp.join(root, 'images'), osp.join(root, 'mask'))
    half = np.zeros((8, 8), np.uint8)
    half[:4] = 255
    masks = dict(
        good=half,
        empty=np.zeros((8, 8), np.uint8),
        full=np.full((8, 8), 255, np.uint8),
        narrow=np.full((8, 4), 255, np.uint8))
    data_list = []
    for name in ('good', 'empty', 'full', 'narrow', 'none'):
        img = osp.join(root, 'images', f'{name}.jpg')
        write_png(img, np.full((8, 8, 3), 128, np.uint8))
        if name in masks:
            write_png(osp.join(root, 'mask', 'images', f'{name}.png'), masks[name])
        data_list.append(dict(img_path=img, gt_label=0))
    return layout, data_list


@pytest.fixture
def warnings(monkeypatch):
    logged = []
    monkeypatch.setattr('fvgpt.datasets.mask_report.print_log',
                        lambda msg, **kwargs: logged.append(msg))
    return logged


def test_attach_mask_paths_finds_the_file_or_names_where_it_is_expected(world):
    layout, data_list = world
    missing = attach_mask_paths(data_list, layout, 'invalid')
    expected_none = osp.join(layout.mask_root, 'images', 'none.jpg')
    assert missing == [expected_none]
    assert data_list[0]['mask_path'] == osp.join(layout.mask_root, 'images', 'good.png')
    assert data_list[4]['mask_path'] == expected_none
    assert {info['mask_on_missing'] for info in data_list} == {'invalid'}


def test_missing_masks_stop_or_warn_by_policy(world, warnings):
    layout, data_list = world
    missing = attach_mask_paths(data_list, layout, 'error')
    with pytest.raises(FileNotFoundError) as err:
        report_missing_masks(WHERE, missing, len(data_list), layout.mask_root, 'error')
    message = str(err.value)
    assert message.startswith(f'{WHERE}: 1 of 5 foreground masks are missing under '
                              f'mask_root={layout.mask_root}')
    assert missing[0] in message and "on_missing='invalid'" in message
    report_missing_masks(WHERE, missing, len(data_list), layout.mask_root, 'invalid')
    assert len(warnings) == 1 and 'fg_mask_valid=False' in warnings[0]
    report_missing_masks(WHERE, [], len(data_list), layout.mask_root, 'error')  # none missing
    assert len(warnings) == 1


def test_unusable_masks_are_counted_per_kind(world, warnings):
    layout, data_list = world
    attach_mask_paths(data_list, layout, 'invalid')
    report_unusable_masks(WHERE, data_list, layout.mask_root, CHECK)
    (message, ) = warnings
    assert message.startswith(f'{WHERE}: 4 of 5 foreground masks are unusable')
    example = {'wrong size': 'narrow', 'empty': 'empty', 'full': 'full'}
    assert '    missing: 1\n' in message  # the missing file is named by the missing report
    for kind, name in example.items():
        assert f'    {kind}: 1, e.g. {osp.join(layout.mask_root, "images", name)}.png' in message
    assert 'unreadable' not in message and CHECK in message


def test_no_usable_mask_stops(world, warnings):
    layout, data_list = world
    del data_list[0]  # the good one
    with pytest.raises(ValueError, match='No mask is usable'):
        attach_masks(data_list, layout, 'invalid', WHERE, CHECK)
    assert len(warnings) == 1  # the missing one was reported before


def test_all_usable_reports_nothing(world, warnings):
    layout, data_list = world
    attach_masks(data_list[:1], layout, 'error', WHERE, CHECK)
    assert warnings == [] and data_list[0]['mask_path'].endswith('good.png')
