"""tools/prepare_foreground.py on a tiny dataset with the colour segmenter (red = cat)."""
import json
import os
import os.path as osp
import runpy

import cv2
import mmcv
import numpy as np
import pytest
from mmengine.config import Config

from fvgpt.segmentation import Segmenter
from fvgpt.segmentation.testing import (color_image, color_segmenter_config,
                                        save_color_segmenter_checkpoint)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = runpy.run_path(osp.join(REPO, 'tools', 'prepare_foreground.py'))
main = TOOL['main']


@pytest.fixture(scope='module')
def model_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp('segmenter')
    cfg = str(folder / 'color_segmenter.py')
    Config(color_segmenter_config()).dump(cfg)
    return cfg, save_color_segmenter_checkpoint(str(folder / 'color.pth'))


def make_dataset(root, split_name='split_zhou_Tiny.json'):
    """6 images in class folders (sizes 16 and 24, flipped or not) and a CoOp split file.
    Returns {relpath under images/: expected cat mask}."""
    expected, split = {}, {'train': [], 'val': [], 'test': []}
    for i in range(6):
        img, labels = color_image(16 if i % 2 else 24)
        if i % 3 == 0:
            img, labels = img[::-1].copy(), labels[::-1].copy()
        cls = 'cat' if i < 3 else 'dog'
        rel = f'{cls}/img_{i}.png'
        mmcv.imwrite(img, osp.join(root, 'images', rel))
        expected[rel] = (labels == 1).astype(np.uint8)
        split[['train', 'val', 'test'][i % 3]].append([rel, int(i >= 3), cls])
    with open(osp.join(root, split_name), 'w') as f:
        json.dump(split, f)
    return expected


def run(cfg, ckpt, root, *extra):
    return main([
        cfg, ckpt, '--dataset-dir',
        str(root), '--image-dir', 'images', '--split-file', 'split_zhou_Tiny.json', '--foreground',
        'cat', '--batch-size', '2', '--no-progress', *extra
    ])


def test_writes_the_layout_the_data_layer_reads(tmp_path, model_files, capsys):
    root = tmp_path / 'tiny'
    expected = make_dataset(str(root))
    assert run(*model_files, root) == 0
    out = capsys.readouterr().out
    assert '6 written, 0 skipped' in out and 'images/s' in out
    assert 'of 6 masks: mean 0.125' in out  # each red square covers 1/8 of its image
    for rel, mask in expected.items():
        png = cv2.imread(str(root / 'mask' / 'images' / rel), cv2.IMREAD_UNCHANGED)
        assert png.ndim == 2 and png.dtype == np.uint8 and set(np.unique(png)) <= {0, 255}
        np.testing.assert_array_equal(png // 255, mask)

    # The data layer finds and loads them: a dataset of this folder built with masks.
    from mmengine.dataset import Compose

    from fvgpt.registry import DATASETS
    dataset = DATASETS.build(
        dict(
            type='CoOpSplitDataset',
            data_root=str(tmp_path),
            dataset_dir='tiny',
            split_file='split_zhou_Tiny.json',
            templates=['a photo of a {}.'],
            dataset_name='tiny',
            split='test',
            with_mask=True))
    pipeline = Compose([dict(type='LoadImageFromFile'), dict(type='LoadForegroundMask')])
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        results = pipeline(dict(info))
        rel = osp.relpath(info['img_path'], str(root / 'images'))
        np.testing.assert_array_equal(results['gt_fg_mask'], expected[rel])
        assert results['fg_mask_valid']


def test_resumes_after_an_interruption(tmp_path, model_files, capsys, monkeypatch):
    root = tmp_path / 'tiny'
    expected = make_dataset(str(root))
    calls = []
    original = Segmenter.segment

    def interrupted(self, images, img_paths=None, queries=None):
        calls.append(len(images))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return original(self, images, img_paths, queries)

    monkeypatch.setattr(Segmenter, 'segment', interrupted)
    assert run(*model_files, root) == 130
    assert 'INTERRUPTED' in capsys.readouterr().out
    files = sorted(p for p in (root / 'mask').rglob('*') if p.is_file())
    assert len(files) == 2 and all(p.suffix == '.png' for p in files)  # no temporary file left
    stamps = {p: p.stat().st_mtime_ns for p in files}

    calls.clear()
    monkeypatch.setattr(Segmenter, 'segment', lambda self, *a, **k:
                        (calls.append(len(a[0])), original(self, *a, **k))[1])
    assert run(*model_files, root) == 0
    assert '4 written, 2 skipped' in capsys.readouterr().out
    assert sum(calls) == 4  # finished files are not redone
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())
    assert len(list((root / 'mask').rglob('*.png'))) == len(expected)


def test_compare_to_a_reference_mask_set(tmp_path, model_files, capsys):
    root = tmp_path / 'tiny'
    expected = make_dataset(str(root))
    ref = tmp_path / 'bundle'
    for i, (rel, mask) in enumerate(sorted(expected.items())):
        if i == 0:
            continue  # no reference for this one
        if i == 1:
            mask = np.zeros_like(mask) if mask.any() else np.ones_like(mask)  # disagrees
        # the authors' bundle: white-foreground JPEGs mirroring the image folder
        path = ref / (osp.splitext(rel)[0] + '.jpg')
        os.makedirs(path.parent, exist_ok=True)
        cv2.imwrite(str(path), np.repeat(mask[..., None] * 255, 3, axis=2))
    assert run(*model_files, root, '--compare-to', str(ref)) == 0
    out = capsys.readouterr().out
    assert '5 masks compared, 1 without a reference mask' in out
    assert 'IoU mean 0.800' in out


def test_registered_dataset_and_failures(tmp_path, model_files, capsys):
    data = tmp_path / 'data'
    expected = make_dataset(str(data / 'oxford_pets'), 'split_zhou_OxfordPets.json')
    broken = data / 'oxford_pets' / 'images' / 'cat' / 'img_1.png'
    broken.write_bytes(b'not an image')
    assert main([
        *model_files, '--dataset', 'oxford_pets', '--data-root',
        str(data), '--foreground', 'cat', '--no-progress'
    ]) == 1
    out = capsys.readouterr().out
    assert '5 written, 0 skipped (already there), 1 failed' in out
    assert 'images/cat/img_1.png: cannot read image' in out
    written = sorted(
        p.relative_to(data / 'oxford_pets' / 'mask').as_posix()
        for p in (data / 'oxford_pets' / 'mask').rglob('*.png'))
    assert written == sorted(f'images/{rel}' for rel in expected if rel != 'cat/img_1.png')


def test_a_model_error_fails_only_its_image(tmp_path, model_files, capsys, monkeypatch):
    root = tmp_path / 'tiny'
    make_dataset(str(root))
    original = Segmenter.segment

    def flaky(self, images, img_paths=None, queries=None):
        if any(p.endswith('img_4.png') for p in img_paths):
            raise RuntimeError('CUDA out of memory (simulated)')
        return original(self, images, img_paths, queries)

    monkeypatch.setattr(Segmenter, 'segment', flaky)
    assert run(*model_files, root, '--batch-size', '4') == 1
    out = capsys.readouterr().out
    assert '5 written, 0 skipped (already there), 1 failed' in out
    assert 'images/dog/img_4.png: RuntimeError: CUDA out of memory (simulated)' in out
