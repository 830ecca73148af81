"""The 15 CoOp datasets on tiny fake trees of the real layout: classes, counts, base/new cut."""
import json
import math
import os
import os.path as osp

import pytest

from fvgpt.datasets import COOP_DATASETS, CoOpSplitDataset, get_coop_meta
from fvgpt.registry import DATASETS
from fvgpt.testing.fake_coop_tree import make_split_tree, make_tree, write_image, write_mask

ALL = list(COOP_DATASETS)
B2N = [n for n in ALL if not COOP_DATASETS[n].test_only]
TEST_ONLY = [n for n in ALL if COOP_DATASETS[n].test_only]


def build(name, root, **kwargs):
    kwargs.setdefault('serialize_data', False)  # mmengine's gc.collect() costs 0.3 s per build
    return DATASETS.build(dict(type=get_coop_meta(name).fvgpt_class, data_root=root, **kwargs))


def labels_of(ds):
    return [ds.get_data_info(i)['gt_label'] for i in range(len(ds))]


def rel_of(ds, tree):
    return [osp.relpath(ds.get_data_info(i)['img_path'], tree.image_root) for i in range(len(ds))]


@pytest.fixture(scope='module')
def trees(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('DATA'))
    return root, {name: make_tree(root, name) for name in ALL}


@pytest.mark.parametrize('name', B2N)
def test_b2n_dataset_loads_with_cut_and_relabel(trees, name):
    root, all_trees = trees
    tree = all_trees[name]
    meta = get_coop_meta(name)
    num = len(tree.classes)
    m = math.ceil(num / 2)
    for split in ('train', 'val', 'test'):
        expected = tree.items[split]
        ds = build(name, root, split=split, subsample='all')
        info = ds.metainfo
        assert info['classes'] == tuple(tree.classes)
        assert info['templates'] == [meta.template]
        assert info['subsample'] == 'all' and info['dataset_name'] == meta.name
        assert list(zip(rel_of(ds, tree), labels_of(ds))) == expected
        assert osp.isabs(ds.get_data_info(0)['img_path'])
        assert osp.isfile(ds.get_data_info(0)['img_path'])
        assert 'mask_path' not in ds.get_data_info(0)
        for subsample, kept in (('base', list(range(m))), ('new', list(range(m, num)))):
            ds = build(name, root, split=split, subsample=subsample)
            assert ds.metainfo['classes'] == tuple(tree.classes[y] for y in kept)
            want = [(rel, kept.index(y)) for rel, y in expected if y in kept]
            assert list(zip(rel_of(ds, tree), labels_of(ds))) == want
            assert ds.metainfo['subsample'] == subsample


@pytest.mark.parametrize('name', TEST_ONLY)
def test_test_only_dataset_loads(trees, name):
    root, all_trees = trees
    tree = all_trees[name]
    ds = build(name, root, split='test')
    assert ds.metainfo['classes'] == tuple(tree.classes)
    assert ds.metainfo['templates'] == ['a photo of a {}.']
    assert list(zip(rel_of(ds, tree), labels_of(ds))) == tree.items['test']
    with pytest.raises(ValueError, match='test-only'):
        build(name, root, split='train')
    with pytest.raises(ValueError, match='test-only'):
        build(name, root, split='test', subsample='base')


def test_imagenet_a_r_use_their_subset_and_full_classnames(trees):
    root, all_trees = trees
    ds = build('imagenet_a', root, split='test')
    # 4 of the 8 wnids of classnames.txt, labels = index among the sorted subset
    assert ds.metainfo['classes'] == ('goldfish', 'tiger shark', 'hammerhead shark', 'stingray')
    assert sorted(set(labels_of(ds))) == [0, 1, 2, 3]


def test_imagenet_val_is_test_and_not_drawn(trees, tmp_path):
    root, all_trees = trees
    tree = all_trees['imagenet']
    val = build('imagenet', root, split='val', num_shots=1, seed=1, fewshot_cache_dir=str(tmp_path))
    assert list(zip(rel_of(val, tree), labels_of(val))) == tree.items['test']
    assert not os.listdir(tmp_path)  # ImageNet's val needs no draw
    train = build(
        'imagenet', root, split='train', num_shots=1, seed=1, fewshot_cache_dir=str(tmp_path))
    assert len(train) == 5
    cache = json.load(open(tmp_path / 'fewshot_1shot_seed1.json'))
    assert 'val' not in cache and len(cache['train']) == 5


@pytest.mark.parametrize('name', B2N)
def test_few_shot_counts(trees, name, tmp_path):
    root, all_trees = trees
    tree = all_trees[name]
    num_shots = 4
    train = build(
        name, root, split='train', num_shots=num_shots, seed=2, fewshot_cache_dir=str(tmp_path))
    per_class = [sum(1 for _, y in tree.items['train'] if y == c) for c in range(len(tree.classes))]
    assert len(train) == sum(min(n, num_shots) for n in per_class)
    val = build(
        name, root, split='val', num_shots=num_shots, seed=2, fewshot_cache_dir=str(tmp_path))
    if name == 'imagenet':
        assert len(val) == len(tree.items['test'])
    else:
        per_class = [
            sum(1 for _, y in tree.items['val'] if y == c) for c in range(len(tree.classes))
        ]
        assert len(val) == sum(min(n, 4) for n in per_class)
    test = build(name, root, split='test', num_shots=num_shots, seed=2)
    assert len(test) == len(tree.items['test'])  # the test split is never drawn


def test_masks_paths_and_png_sibling(tmp_path):
    tree = make_split_tree(str(tmp_path), 'oxford_pets', masks=True)
    ds = build('oxford_pets', str(tmp_path), split='test', with_mask=True)
    info = ds.get_data_info(0)
    rel = osp.relpath(info['img_path'], tree.dataset_root)
    assert info['mask_path'] == osp.join(tree.dataset_root, 'mask', rel)
    assert info['mask_on_missing'] == 'error'
    # a .png of the same stem is found instead of the .jpg
    os.rename(info['mask_path'], info['mask_path'][:-4] + '.png')
    ds = build('oxford_pets', str(tmp_path), split='test', with_mask=True)
    assert ds.get_data_info(0)['mask_path'] == info['mask_path'][:-4] + '.png'


def test_missing_masks_error_or_invalid(tmp_path):
    tree = make_split_tree(str(tmp_path), 'dtd', masks=True)
    ds = build('dtd', str(tmp_path), split='test', with_mask=True)
    victim = ds.get_data_info(1)['mask_path']
    os.remove(victim)
    with pytest.raises(FileNotFoundError) as err:
        build('dtd', str(tmp_path), split='test', with_mask=True)
    assert victim in str(err.value) and "on_missing='invalid'" in str(err.value)
    ds = build('dtd', str(tmp_path), split='test', with_mask=True, on_missing='invalid')
    assert ds.get_data_info(1)['mask_path'] == victim
    assert ds.get_data_info(1)['mask_on_missing'] == 'invalid'
    assert len(ds) == len(tree.items['test'])


def test_mask_folder_beside_dataset_and_mirroring_image_folder(tmp_path):
    root = str(tmp_path)
    tree = make_split_tree(root, 'eurosat', masks=True)
    rel = tree.items['test'][0][0]
    # the authors' per-dataset root: <data_root>/mask/<dataset dir>/<image dir>/<rel>
    os.rename(osp.join(tree.dataset_root, 'mask'), osp.join(root, 'mask_tmp'))
    os.makedirs(osp.join(root, 'mask'))
    os.rename(osp.join(root, 'mask_tmp'), osp.join(root, 'mask', 'eurosat'))
    ds = build('eurosat', root, split='test', with_mask=True)
    assert ds.get_data_info(0)['mask_path'] == osp.join(root, 'mask', 'eurosat', '2750', rel)
    # a mask folder that mirrors the image folder (the toy world's layout)
    os.rename(osp.join(root, 'mask', 'eurosat', '2750'), osp.join(tree.dataset_root, 'mask'))
    ds = build('eurosat', root, split='test', with_mask=True)
    assert ds.get_data_info(0)['mask_path'] == osp.join(tree.dataset_root, 'mask', rel)
    # an explicit mask_root, relative to data_root
    ds = build('eurosat', root, split='test', with_mask=True, mask_root='eurosat/mask')
    assert ds.get_data_info(0)['mask_path'] == osp.join(tree.dataset_root, 'mask', rel)


def test_generic_split_dataset_toy_layout(tmp_path):
    """The toy world's layout: images/<class>/x.png, mask/<class>/x.png, split_zhou JSON."""
    root = tmp_path / 'data'
    ds_dir = root / 'toyworld'
    split = {'train': [], 'val': [], 'test': []}
    for key, n in (('train', 3), ('val', 1), ('test', 2)):
        for label, cname in enumerate(['red circle', 'blue square', 'green star']):
            for i in range(n):
                rel = f'{cname.replace(" ", "_")}/{key}_{i:04d}.png'
                write_image(str(ds_dir / 'images' / rel), seed=i + 10 * label)
                write_mask(str(ds_dir / 'mask' / rel))
                split[key].append([rel, label, cname])
    (ds_dir / 'split_zhou_ToyWorld.json').write_text(json.dumps(split))
    ds = CoOpSplitDataset(
        data_root=str(root),
        dataset_dir='toyworld',
        image_dir='images',
        split_file='split_zhou_ToyWorld.json',
        templates='a photo of a {}.',
        dataset_name='toyworld',
        split='train',
        subsample='base',
        num_shots=2,
        seed=1,
        with_mask=True,
        serialize_data=False)
    assert ds.metainfo['classes'] == ('red circle', 'blue square')
    assert ds.metainfo['templates'] == ['a photo of a {}.']
    assert len(ds) == 4
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        rel = osp.relpath(info['img_path'], ds_dir / 'images')
        assert info['mask_path'] == str(ds_dir / 'mask' / rel)
    with pytest.raises(ValueError, match='split_file'):
        CoOpSplitDataset(
            data_root=str(root), dataset_dir='toyworld', templates='{}', dataset_name='x')


def test_errors_name_path_and_fix(tmp_path):
    root = str(tmp_path)
    with pytest.raises(FileNotFoundError) as err:
        build('oxford_pets', root)
    msg = str(err.value)
    assert osp.join(root, 'oxford_pets') in msg and 'robots.ox.ac.uk' in msg
    tree = make_split_tree(root, 'oxford_pets')
    os.remove(osp.join(tree.dataset_root, 'split_zhou_OxfordPets.json'))
    with pytest.raises(FileNotFoundError) as err:
        build('oxford_pets', root)
    msg = str(err.value)
    assert 'split_zhou_OxfordPets.json' in msg and 'DATASETS.md' in msg
    assert 'Do not regenerate' in msg
    tree = make_tree(root, 'imagenet')
    os.remove(osp.join(tree.dataset_root, 'classnames.txt'))
    with pytest.raises(FileNotFoundError, match='classnames.txt'):
        build('imagenet', root, split='test')


def test_argument_checks(trees):
    root, _ = trees
    for bad in (dict(split='training'), dict(subsample='novel'), dict(num_shots=-1),
                dict(on_missing='skip'), dict(metainfo=dict(classes=('a', )))):
        with pytest.raises(ValueError):
            build('dtd', root, **bad)


def test_lazy_init_and_registry_names(trees):
    root, _ = trees
    ds = build('caltech101', root, split='test', lazy_init=True)
    assert not ds._fully_initialized
    assert len(ds.metainfo['classes']) == 5  # metainfo reads the split on first use
    assert ds.get_cat_ids(0) == [ds.get_data_info(0)['gt_label']]
    assert len(ds.get_gt_labels()) == len(ds)
    for alias in ('oxford_flowers', 'OxfordFlowers', 'Flowers102'):
        assert get_coop_meta(alias).fvgpt_class == 'Flowers102'
    with pytest.raises(KeyError, match='Known'):
        get_coop_meta('imagenet-21k')


def test_serialize_data_by_item_count(trees, monkeypatch):
    """serialize_data=None (the default) serializes from SERIALIZE_MIN_ITEMS items on; True and
    False are mmengine's; the items read back are the same either way, lazy init included."""
    import fvgpt.datasets.b2n_dataset as b2n_dataset
    root, _ = trees
    explicit = build('caltech101', root, split='test', serialize_data=True)
    assert explicit.serialize_data and explicit.data_list == []  # held as bytes
    items = [explicit.get_data_info(i) for i in range(len(explicit))]
    small = build('caltech101', root, split='test', serialize_data=None)
    assert len(small) < b2n_dataset.SERIALIZE_MIN_ITEMS
    assert not small.serialize_data and len(small.data_list) == len(items)
    assert [small.get_data_info(i) for i in range(len(small))] == items
    monkeypatch.setattr(b2n_dataset, 'SERIALIZE_MIN_ITEMS', len(items))
    for lazy in (False, True):
        large = build('caltech101', root, split='test', serialize_data=None, lazy_init=lazy)
        assert [large.get_data_info(i) for i in range(len(large))] == items
        assert large.serialize_data and large.data_list == []
    assert not build('caltech101', root, split='test', serialize_data=False).serialize_data


def test_classname_fixes_are_coop_s(tmp_path):
    """A split written with CoOp's raw folder names reads with CoOp's renames."""
    tree = make_split_tree(str(tmp_path), 'eurosat')
    path = osp.join(tree.dataset_root, 'split_zhou_EuroSAT.json')
    split = json.load(open(path))
    raw = {'Annual Crop Land': 'AnnualCrop', 'Highway or Road': 'Highway'}
    for key in split:
        split[key] = [[r, y, raw.get(n, n)] for r, y, n in split[key]]
    json.dump(split, open(path, 'w'))
    ds = build('eurosat', str(tmp_path), split='test')
    assert ds.metainfo['classes'][0] == 'Annual Crop Land'
    assert ds.metainfo['classes'][3] == 'Highway or Road'


def test_config_pipeline_with_masks(tmp_path):
    """A config-style FVG-PT train pipeline on a dataset built with masks, one mask missing."""
    tree = make_split_tree(str(tmp_path), 'food101', masks=True)
    os.remove(osp.join(tree.dataset_root, 'mask', 'images', tree.items['train'][0][0]))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadForegroundMask'),
        dict(type='PairedRandomResizedCrop', scale=16, interpolation='bicubic'),
        dict(type='PairedRandomFlip', prob=0.5),
        dict(type='mmpretrain.PackInputs', algorithm_keys=('gt_fg_mask', 'fg_mask_valid')),
    ]
    ds = build(
        'food101',
        str(tmp_path),
        split='train',
        subsample='base',
        with_mask=True,
        on_missing='invalid',
        pipeline=pipeline)
    valid = []
    for i in range(len(ds)):
        out = ds[i]
        sample = out['data_samples']
        assert out['inputs'].shape == (3, 16, 16)
        assert sample.gt_fg_mask.shape == (16, 16) and sample.gt_fg_mask.dtype.name == 'uint8'
        assert int(sample.gt_label) == ds.get_data_info(i)['gt_label']
        valid.append(sample.fg_mask_valid)
    assert valid.count(False) == 1
