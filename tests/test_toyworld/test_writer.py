"""The toy world on disk: CoOp layout, split_zhou file, masks in the authors' layout."""
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from fvgpt.toyworld import META_FILE, TOYWORLD_INFO, ToyWorld, ToyWorldConfig, write_toyworld

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SMALL = ToyWorldConfig(num_train=3, num_val=1, num_test=2, degraded_mask_ratio=0.5)


@pytest.fixture(scope='module')
def written(tmp_path_factory):
    data_root = str(tmp_path_factory.mktemp('data'))
    root = write_toyworld(data_root, SMALL, progress=False)
    return data_root, root


def test_layout_and_split_file(written):
    data_root, root = written
    assert root == osp.join(data_root, 'toyworld')
    with open(osp.join(root, 'split_zhou_ToyWorld.json')) as f:
        split = json.load(f)
    world = ToyWorld(SMALL)
    assert set(split) == {'train', 'val', 'test'}
    for name, per_class in (('train', 3), ('val', 1), ('test', 2)):
        items = split[name]
        assert len(items) == per_class * world.num_classes
        for item in items:
            relpath, label, classname = item
            assert isinstance(relpath, str) and isinstance(label, int) and \
                isinstance(classname, str)
            assert world.classes[label] == classname
            assert not osp.isabs(relpath) and relpath.startswith(classname.replace(' ', '_') + '/')
            assert osp.isfile(osp.join(root, 'images', relpath))
            assert osp.isfile(osp.join(root, 'mask', relpath))
        assert sorted({label for _, label, _ in items}) == list(range(world.num_classes))
    # No image is in two splits.
    paths = [item[0] for items in split.values() for item in items]
    assert len(paths) == len(set(paths))


def test_files_match_the_generator(written):
    _, root = written
    world = ToyWorld(SMALL)
    with open(osp.join(root, META_FILE)) as f:
        meta = json.load(f)
    assert ToyWorldConfig.from_dict(meta['config']) == SMALL
    faults = 0
    for split, label, index in [('train', 0, 0), ('train', 7, 2), ('train', 20, 1), ('val', 12, 0),
                                ('test', 29, 1)]:
        sample = world.sample(split, label, index)
        relpath = world.relpath(split, label, index)
        image = Image.open(osp.join(root, 'images', relpath))
        mask = Image.open(osp.join(root, 'mask', relpath))
        assert image.mode == 'RGB' and image.size == (64, 64)
        assert mask.mode == 'L' and mask.size == (64, 64)
        mask = np.asarray(mask)
        assert set(np.unique(mask)) <= {0, 255}
        assert np.array_equal(np.asarray(image), sample.image)
        assert np.array_equal(mask, sample.written_mask * 255)
        item = meta['items'][relpath]
        assert item['mask_fault'] == sample.spec.mask_fault and item['label'] == label
        if item['mask_fault'] == 'exact':
            assert np.array_equal(mask, sample.mask * 255)
        faults += item['mask_fault'] != 'exact'
        if split != 'train':
            assert item['mask_fault'] == 'exact' and not item['spurious']
    all_faults = [v['mask_fault'] for v in meta['items'].values() if v['split'] == 'train']
    assert 0.3 < np.mean([f != 'exact' for f in all_faults]) < 0.7


def test_rewrite_is_a_no_op_and_another_config_needs_overwrite(written):
    data_root, root = written
    split_file = osp.join(root, TOYWORLD_INFO['split_file'])
    stamp = osp.getmtime(split_file)
    write_toyworld(data_root, SMALL, progress=False)
    assert osp.getmtime(split_file) == stamp
    other = ToyWorldConfig(num_train=3, num_val=1, num_test=2, seed=5)
    with pytest.raises(FileExistsError, match='overwrite'):
        write_toyworld(data_root, other, progress=False)


def test_generate_tool(tmp_path):
    cmd = [
        sys.executable,
        osp.join(REPO, 'tools', 'toyworld', 'generate.py'), '--data-root',
        str(tmp_path), '--colours', 'red', 'blue', '--shapes', 'circle', 'square', 'star',
        '--num-train', '2', '--num-val', '1', '--num-test', '1', '--image-size', '80',
        '--spurious-corr', '0'
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    with open(osp.join(tmp_path, 'toyworld', 'split_zhou_ToyWorld.json')) as f:
        split = json.load(f)
    assert len(split['train']) == 12 and len(split['test']) == 6
    first = split['test'][0][0]
    assert Image.open(osp.join(tmp_path, 'toyworld', 'images', first)).size == (80, 80)


def test_loads_through_the_generic_split_dataset(written):
    datasets = pytest.importorskip('fvgpt.datasets')
    data_root, root = written
    world = ToyWorld(SMALL)
    common = dict(
        data_root=data_root,
        dataset_dir=TOYWORLD_INFO['dataset_dir'],
        image_dir=TOYWORLD_INFO['image_dir'],
        split_file=TOYWORLD_INFO['split_file'],
        templates=[TOYWORLD_INFO['template']],
        dataset_name='toyworld')
    base = datasets.CoOpSplitDataset(
        split='train', subsample='base', num_shots=2, seed=1, with_mask=True, **common)
    assert tuple(base.metainfo['classes']) == world.classes[:world.num_base]
    assert len(base) == 2 * world.num_base
    for i in range(len(base)):
        info = base.get_data_info(i)
        rel = osp.relpath(info['img_path'], osp.join(root, 'images'))
        assert info['mask_path'] == osp.join(root, 'mask', rel)
        assert world.classes[info['gt_label']] == rel.split('/')[0].replace('_', ' ')
    new = datasets.CoOpSplitDataset(split='test', subsample='new', **common)
    assert tuple(new.metainfo['classes']) == world.classes[world.num_base:]
    assert sorted({new.get_data_info(i)['gt_label']
                   for i in range(len(new))}) == list(range(world.num_classes - world.num_base))
