"""The gate report on a tiny toy world and FVG-PT on the tiny CLIP: its rows are FVG-PT's own
loss-time statistics on the same deterministic inputs, its predictions the model's test-time
ones, and the training masks' IoU buckets follow how far each mask is from the exact one."""
import copy
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DATASETS

from fvgpt.analysis import (foreground_view_dataset_cfg, gate_rows, load_analysis_model,
                            mask_folder_reader, set_class_list_from, summarize_gate_rows)
from fvgpt.analysis.gate_report import VIEWS
from fvgpt.registry import MODELS
from fvgpt.segmentation import write_mask_png
from fvgpt.setup_env import register_all_modules
from fvgpt.testing import call_tool, make_toyworld, write_stage1, write_stage2
from fvgpt.toyworld import exact_mask_reader

PAIRED_TEST_PIPELINE = """
test_dataloader = dict(dataset=dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='PairedResizeEdge', scale=32, edge='short', interpolation='bicubic'),
    dict(type='PairedCenterCrop', crop_size=32),
    dict(type='mmpretrain.PackInputs')]))
train_dataloader['dataset']['mask_root'] = 'toyworld/mask_test'
"""
#: Training masks made from the exact one of the first images (the rest are exact): the share
#: of its foreground pixels kept (the IoU with the exact mask), or 'missing' (no file).
DEGRADED = {0: 0.6, 1: 0.3, 2: 0.0, 3: 'missing'}


@pytest.fixture(scope='module')
def world(tmp_path_factory):
    """A toy world, FVG-PT's config on it (masks in toyworld/mask_test: :data:`DEGRADED`), its
    model with gates far from their initialization, and the checkpoint of that model."""
    register_all_modules()
    root = tmp_path_factory.mktemp('gates')
    data_root = make_toyworld(str(root / 'data'), num_train=4, num_test=1)
    stage1 = write_stage1(str(root / 'coop_toy.py'), data_root)
    stage2 = write_stage2(str(root / 'fvgpt_toy.py'), stage1, None)
    with open(stage2, 'a') as f:
        f.write(PAIRED_TEST_PIPELINE)
    cfg = Config.fromfile(stage2)
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, with_mask=False))
    exact = exact_mask_reader(dataset.dataset_root)
    image_root = dataset.image_root
    shares = {}
    for i in range(len(dataset)):
        img_path = dataset.get_data_info(i)['img_path']
        rel = osp.relpath(img_path, image_root)
        mask = exact(img_path)
        write_mask_png(osp.join(dataset.dataset_root, 'mask_exact', rel), mask)
        share = DEGRADED.get(i, 1.0)
        shares[img_path] = share
        if share == 'missing':
            continue
        kept = np.zeros(mask.size, np.uint8)  # the first `share` of its pixels, raster order
        fg = np.flatnonzero(mask)
        kept[fg[:int(round(share * fg.size))]] = 1
        write_mask_png(osp.join(dataset.dataset_root, 'mask_test', rel), kept.reshape(mask.shape))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    torch.manual_seed(1)  # far from the near-identity init, so that the gates vary per image
    for p in [*model.base_head.parameters(), *model.new_head.parameters()]:
        p.data.normal_(0, 0.3)
    ckpt = str(root / 'fvgpt_toy.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    return dict(
        root=root,
        data_root=data_root,
        config=stage2,
        cfg=cfg,
        model=model,
        ckpt=ckpt,
        shares=shares)


def gate_dataset(cfg):
    return DATASETS.build(foreground_view_dataset_cfg(cfg, 'train'))


def test_the_deterministic_pipeline_is_the_test_one_with_the_training_view(world):
    dataset_cfg = foreground_view_dataset_cfg(world['cfg'], 'train')
    assert [t['type'] for t in dataset_cfg['pipeline']] == [
        'LoadImageFromFile', 'LoadForegroundMask', 'PairedResizeEdge', 'PairedCenterCrop',
        'ForegroundView', 'mmpretrain.PackInputs'
    ]
    assert set(
        dataset_cfg['pipeline'][-1]['algorithm_keys']) == {'img_fg', 'gt_fg_mask', 'fg_mask_valid'}
    assert dataset_cfg['subsample'] == 'base' and dataset_cfg['num_shots'] == 4
    assert dataset_cfg['mask_root'] == 'toyworld/mask_test'
    assert dataset_cfg['on_missing'] == 'invalid'
    stage1 = Config.fromfile(world['cfg'].model.stage1_config)
    with pytest.raises(ValueError, match='no ForegroundView: give an FVG-PT config'):
        foreground_view_dataset_cfg(stage1)


def test_rows_are_the_losss_own_statistics_per_image_and_per_batch(world):
    model, dataset = world['model'], gate_dataset(world['cfg'])
    set_class_list_from(model, dataset)
    rows = gate_rows(model, dataset, batch_size=5, progress=False)
    assert len(rows) == len(dataset) == 12  # 3 base classes x 4 shots

    def loss_stats(indices):
        out = model.data_preprocessor(pseudo_collate([dataset[i] for i in indices]), False)
        with torch.no_grad():
            return model.loss(out['inputs'], out['data_samples'], out['fg_inputs'], out['fg_masks'],
                              out['fg_valid'])

    keys = {'gate_r': 'r', 'gate_r_target': 'r_target', 'fg_reliable': 'fg_reliable', 'gate_b': 'b'}
    for i, row in enumerate(rows):
        stats = loss_stats([i])
        for stat, key in keys.items():
            assert float(row[key]) == pytest.approx(float(stats[stat]), abs=1e-5), (i, key)
    stats = loss_stats(range(len(dataset)))
    for stat, key in keys.items():
        assert np.mean([float(row[key]) for row in rows]) == pytest.approx(
            float(stats[stat]), abs=1e-5)
    # the rows are not all alike: the gates decide per image
    assert len({round(row['r'], 4) for row in rows if row['fg_reliable']}) > 3
    # the empty and the missing mask: not trusted, r = 0 (the area rule)
    assert [(row['fg_reliable'], row['r']) for row in rows[2:4]] == [(False, 0.0)] * 2
    assert [row['fg_valid'] for row in rows[2:4]] == [True, False]


def test_predictions_are_the_models_test_time_ones_on_the_test_pipeline(world):
    model, cfg = world['model'], world['cfg']
    dataset = gate_dataset(cfg)
    set_class_list_from(model, dataset)
    rows = gate_rows(model, dataset, progress=False)
    plain_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    plain_cfg.update(with_mask=False, pipeline=cfg.test_dataloader.dataset.pipeline)
    plain = DATASETS.build(plain_cfg)
    data = model.data_preprocessor(pseudo_collate([plain[i] for i in range(len(plain))]), False)
    labels = [int(s.gt_label) for s in data['data_samples']]
    assert labels == [row['label'] for row in rows]
    for branch, view in (('base', 'fdc'), ('new', 'pc')):
        model.test_branch = branch
        try:
            preds = [int(s.pred_label) for s in model.predict(data['inputs'], data['data_samples'])]
        finally:
            model.test_branch = 'auto'
        assert preds == [row[f'pred_{view}'] for row in rows]
        assert [p == y for p, y in zip(preds, labels)] == [row[f'correct_{view}'] for row in rows]
    backbone = model.backbone.logits(data['inputs']).argmax(-1).tolist()
    assert backbone == [row['pred_full'] for row in rows]


def test_iou_buckets_follow_each_masks_overlap_with_the_exact_mask(world):
    model, dataset = world['model'], gate_dataset(world['cfg'])
    set_class_list_from(model, dataset)
    by_generator = gate_rows(
        model, dataset, exact_mask_reader(dataset.dataset_root), progress=False)
    by_folder = gate_rows(
        model, dataset, mask_folder_reader(dataset, 'toyworld/mask_exact'), progress=False)
    assert by_generator == by_folder
    for row in by_generator:
        share = world['shares'][row['path']]
        if share == 'missing':
            assert (row['mask_iou'], row['bucket']) == (None, 'no mask')
            continue
        # a subset of the exact mask keeping `share` of its pixels: IoU = share
        assert row['mask_iou'] == pytest.approx(share, abs=0.02)
        expected = 'right' if share >= 0.75 else 'wrong' if share < 0.5 else 'middling'
        assert row['bucket'] == expected
    summary = summarize_gate_rows(by_generator)
    assert {
        k: v['images']
        for k, v in summary.items()
    } == {
        'all': 12,
        'right': 8,
        'middling': 1,
        'wrong': 2,
        'no mask': 1
    }
    wrong = [row for row in by_generator if row['bucket'] == 'wrong']
    assert summary['wrong']['r_mean'] == pytest.approx(np.mean([row['r'] for row in wrong]))
    assert summary['all']['acc_fg'] == pytest.approx(
        100 * np.mean([row['pred_fg'] == row['label'] for row in by_generator]))
    with pytest.raises(FileNotFoundError, match='No readable reference mask'):
        gate_rows(
            model, dataset, mask_folder_reader(dataset, 'toyworld/no_such_masks'), progress=False)


def handmade_row(r, r_target, reliable=True, bucket='right', correct=True):
    row = dict(
        r=r,
        r_target=r_target,
        fg_reliable=reliable,
        bucket=bucket,
        b=0.5,
        kl_fg=0.1,
        kl_full=0.2 if correct else 0.05)
    row.update({f'correct_{view}': correct for view in VIEWS})
    return row


def test_summary_of_handmade_rows():
    rows = [
        handmade_row(0.9, 1.0),
        handmade_row(0.8, 1.0, bucket='wrong', correct=False),
        handmade_row(0.1, 0.0),
        handmade_row(0.85, 0.0, bucket='middling'),
        handmade_row(0.0, 1.0, reliable=False, bucket='no mask', correct=False),
    ]
    s = summarize_gate_rows(rows)
    assert list(s) == ['all', 'right', 'middling', 'wrong', 'no mask']
    # reliable r* = 1 rows score 0.9, 0.8; r* = 0 rows 0.1, 0.85: 3 of the 4 pairs in order
    assert s['all']['gate_auc'] == pytest.approx(0.75)
    # r >= 0.5 iff r* = 1 on 3 of the 4 reliable rows (not on the 0.85 with r* = 0)
    assert s['all']['gate_agrees'] == pytest.approx(0.75)
    assert s['all']['fg_reliable'] == pytest.approx(0.8)
    assert s['all']['r_target'] == pytest.approx(0.6)
    assert s['all']['r_mean'] == pytest.approx(np.mean([0.9, 0.8, 0.1, 0.85, 0.0]))
    assert s['all']['acc_fdc'] == pytest.approx(60.0)
    assert s['all']['student_follows_fg'] == pytest.approx(0.6)
    assert s['right']['images'] == 2 and s['right']['gate_auc'] == pytest.approx(1.0)
    assert s['wrong']['gate_auc'] is None  # no r* = 0 row to rank against
    assert s['no mask']['gate_agrees'] is None  # no reliable mask
    tie = summarize_gate_rows([handmade_row(0.3, 1.0), handmade_row(0.3, 0.0)])
    assert tie['all']['gate_auc'] == pytest.approx(0.5)  # a constant gate separates nothing


def test_the_tool_writes_the_rows_and_prints_the_summary(world, capsys):
    work_dir = str(world['root'] / 'report')
    # the tiny CLIP and CoOp's context are random and not in the checkpoint (frozen, no stage-1
    # checkpoint): the same seed before each build makes the same backbone
    torch.manual_seed(0)
    call_tool('analysis/gate_report.py', world['config'], world['ckpt'], '--toyworld-exact-masks',
              '--work-dir', work_dir)
    printed = capsys.readouterr().out
    with open(osp.join(work_dir, 'gate_report.json')) as f:
        report = json.load(f)
    torch.manual_seed(0)
    model = load_analysis_model(world['cfg'], world['ckpt'])
    dataset = gate_dataset(world['cfg'])
    set_class_list_from(model, dataset)
    rows = gate_rows(model, dataset, exact_mask_reader(dataset.dataset_root), progress=False)
    assert report['rows'] == json.loads(json.dumps(rows))
    assert report['settings']['lambda_d'] == 10.0 and report['settings']['split'] == 'train'
    for title in ('all', 'right (IoU >= 0.75)', 'middling', 'wrong (IoU < 0.5)', 'no mask file'):
        assert f'\n{title} ' in printed
    assert f'Saved to {work_dir}{os.sep}gate_report.json' in printed

    # --data-root: the same world in another folder is read from there, row for row
    moved = str(world['root'] / 'moved')
    shutil.copytree(world['data_root'], moved)
    torch.manual_seed(0)
    call_tool('analysis/gate_report.py', world['config'], world['ckpt'], '--toyworld-exact-masks',
              '--data-root', moved, '--work-dir', work_dir)
    with open(osp.join(work_dir, 'gate_report.json')) as f:
        moved_rows = json.load(f)['rows']
    assert [r['path'] for r in moved_rows] == [
        osp.join(moved, osp.relpath(r['path'], world['data_root'])) for r in report['rows']
    ]
    assert [dict(r, path=None) for r in moved_rows] == [dict(r, path=None) for r in report['rows']]
