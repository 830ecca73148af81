"""Bad data through the CLI on the toy world: two labels with one class name, unusable masks,
unreadable images and masks (and tools/check_data.py finding them)."""
import json
import os.path as osp
import shutil

import numpy as np
import pytest
from PIL import Image

from fvgpt.testing import call_tool, log_text, write_stage1, write_stage2

SPLIT = 'split_zhou_ToyWorld.json'


def copy_world(toy_data_root, tmp_path):
    root = str(tmp_path / 'data')
    shutil.copytree(toy_data_root, root)
    return root


def train_items(root):
    with open(osp.join(root, 'toyworld', SPLIT)) as f:
        return json.load(f)['train']


def test_two_labels_with_one_class_name_stop_training(toy_data_root, tmp_path):
    root = copy_world(toy_data_root, tmp_path)
    path = osp.join(root, 'toyworld', SPLIT)
    with open(path) as f:
        split = json.load(f)
    names = {label: name for _, label, name in split['train']}
    for key in split:  # label 1 renamed as label 0 (written with an underscore)
        split[key] = [[rel, label, names[0].replace(' ', '_') if label == 1 else name]
                      for rel, label, name in split[key]]
    with open(path, 'w') as f:
        json.dump(split, f)
    config = write_stage1(str(tmp_path / 'coop_toy.py'), root, epochs=1)
    with pytest.raises(ValueError) as err:
        call_tool('train.py', config, '--work-dir', str(tmp_path / 'w'))
    assert f'Labels 0 and 1 of {SPLIT} have the same class name' in str(err.value)
    assert not osp.exists(osp.join(str(tmp_path / 'w'), 'epoch_1.pth'))


def test_unusable_masks_are_counted_and_none_usable_stops(toy_data_root, coop_run, tmp_path,
                                                          capsys):
    root = copy_world(toy_data_root, tmp_path)
    stage1 = write_stage1(str(tmp_path / 'coop_toy.py'), root, epochs=1)
    config = write_stage2(str(tmp_path / 'fvgpt_toy.py'), stage1, coop_run['ckpt'])
    masks = [osp.join(root, 'toyworld', 'mask', rel) for rel, _, _ in train_items(root)]
    Image.fromarray(np.full((16, 40), 255, np.uint8)).save(masks[0])  # other aspect ratio
    Image.fromarray(np.full((32, 32), 255, np.uint8)).save(masks[1])  # all foreground
    Image.fromarray(np.zeros((32, 32), np.uint8)).save(masks[2])  # no foreground
    with pytest.raises(SystemExit) as status:
        call_tool('check_data.py', '--config', config)
    assert status.value.code == 1
    out = capsys.readouterr().out
    assert 'train masks wrong size  WRONG    1 of 12: ' + masks[0] in out
    assert 'train masks full        WRONG    1 of 12: ' + masks[1] in out
    assert masks[2] in out.split('train masks empty')[1]  # + the world's degraded masks
    # the same counts in the training log, when the dataset is built
    work = str(tmp_path / 'w1')
    call_tool('train.py', config, '--work-dir', work, '--cfg-options', 'train_cfg.max_epochs=1')
    log = log_text(work)
    assert 'foreground masks are unusable' in log
    assert 'wrong size: 1, e.g. ' + masks[0] in log and 'full: 1, e.g. ' + masks[1] in log
    for mask in masks:  # none usable: stage 2 stops before training
        Image.fromarray(np.zeros((32, 32), np.uint8)).save(mask)
    with pytest.raises(ValueError) as err:
        call_tool('train.py', config, '--work-dir', str(tmp_path / 'w2'))
    assert 'No mask is usable' in str(err.value) and 'empty: 12' in str(err.value)
    assert not osp.exists(osp.join(str(tmp_path / 'w2'), 'epoch_1.pth'))


def test_unreadable_image_is_named_and_check_data_finds_every_one(toy_data_root, tmp_path, capsys):
    root = copy_world(toy_data_root, tmp_path)
    images = [osp.join(root, 'toyworld', 'images', rel) for rel, _, _ in train_items(root)]
    # a 0-byte image and a truncated one (only the first half of the file)
    open(images[0], 'wb').close()
    data = open(images[1], 'rb').read()
    with open(images[1], 'wb') as f:
        f.write(data[:len(data) // 2])
    config = write_stage1(str(tmp_path / 'coop_toy.py'), root, epochs=1)
    with pytest.raises(OSError) as err:
        call_tool('train.py', config, '--work-dir', str(tmp_path / 'w'))
    message = str(err.value)
    named = [p for p in images[:2] if f'Unreadable image file {p}: ' in message]
    assert len(named) == 1, message
    assert 'python tools/check_data.py --config' in message
    with pytest.raises(SystemExit) as status:
        call_tool('check_data.py', '--config', config)
    assert status.value.code == 1
    out = capsys.readouterr().out
    assert 'images unreadable  WRONG' in out
    assert f'{images[0]} (empty' in out and f'{images[1]} (truncated or damaged' in out


def test_unreadable_mask_is_named_when_loaded(toy_data_root, coop_run, tmp_path, capsys):
    root = copy_world(toy_data_root, tmp_path)
    stage1 = write_stage1(str(tmp_path / 'coop_toy.py'), root, epochs=1)
    config = write_stage2(str(tmp_path / 'fvgpt_toy.py'), stage1, coop_run['ckpt'])
    mask = osp.join(root, 'toyworld', 'mask', train_items(root)[0][0])
    data = open(mask, 'rb').read()
    with open(mask, 'wb') as f:
        f.write(data[:len(data) // 2])
    work = str(tmp_path / 'w')
    with pytest.raises(OSError) as err:
        call_tool('train.py', config, '--work-dir', work)
    assert f'Unreadable mask file {mask}: truncated or damaged' in str(err.value)
    assert 'unreadable: 1, e.g. ' + mask in log_text(work)  # counted when the dataset is built
    with pytest.raises(SystemExit) as status:
        call_tool('check_data.py', '--config', config)
    assert status.value.code == 1
    assert 'train masks unreadable  WRONG    1 of 12: ' + mask in capsys.readouterr().out
