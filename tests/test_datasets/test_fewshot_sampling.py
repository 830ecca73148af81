"""The few-shot draw is CoOp's, is cached portably, and is stable across runs, roots and
machines."""
import json
import os
import os.path as osp
import random
import shutil
from collections import defaultdict

import pytest

from fvgpt.datasets import OxfordPets, draw_fewshot
from fvgpt.datasets import fewshot as fewshot_module
from fvgpt.datasets import subsample_labels
from fvgpt.testing.fake_coop_tree import make_split_tree


def coop_reference(train, val, num_shots, seed):
    """CoOp's code path, restated plainly: set_random_seed, then Dassl's
    generate_fewshot_dataset on train (K) and val (min(K, 4)) with the global ``random``."""
    random.seed(seed)

    def generate_fewshot_dataset(data_source, num_shots):
        tracker = defaultdict(list)
        for item in data_source:
            tracker[item[1]].append(item)
        dataset = []
        for label, items in tracker.items():
            if len(items) >= num_shots:
                sampled_items = random.sample(items, num_shots)
            else:
                sampled_items = items
            dataset.extend(sampled_items)
        return dataset

    train = generate_fewshot_dataset(train, num_shots=num_shots)
    val = generate_fewshot_dataset(val, num_shots=min(num_shots, 4))
    return [(r, y) for r, y, _ in train], [(r, y) for r, y, _ in val]


def random_split(seed, num_classes=7):
    rng = random.Random(1000 + seed)
    out = {}
    for key in ('train', 'val'):
        items = [(f'c{y}/{key}{i}.jpg', y, f'class {y}') for y in range(num_classes)
                 for i in range(rng.randint(1, 20))]
        rng.shuffle(items)  # labels first appear in a non-sorted order
        out[key] = items
    return out


@pytest.mark.parametrize('seed', [1, 2, 3, 17])
@pytest.mark.parametrize('num_shots', [1, 4, 16])
def test_draw_equals_coop_reference(seed, num_shots):
    split = random_split(seed)
    want_train, want_val = coop_reference(split['train'], split['val'], num_shots, seed)
    random.seed(12345)
    state = random.getstate()
    got = draw_fewshot(split['train'], split['val'], num_shots, seed)
    assert random.getstate() == state  # the global stream is untouched
    assert got['train'] == want_train
    assert got['val'] == want_val


def test_draw_is_pinned_across_machines():
    """Golden values: the draw must not depend on the machine, run or Python build."""
    items = [(f'img{i:02d}.jpg', i % 3, 'x') for i in range(12)]
    draw = draw_fewshot(items, items[:6], 2, seed=1)
    assert draw['train'] == [('img03.jpg', 0), ('img06.jpg', 0), ('img01.jpg', 1), ('img04.jpg', 1),
                             ('img02.jpg', 2), ('img05.jpg', 2)]
    assert draw['val'] == [('img03.jpg', 0), ('img00.jpg', 0), ('img04.jpg', 1), ('img01.jpg', 1),
                           ('img02.jpg', 2), ('img05.jpg', 2)]


def test_subsample_labels_is_coop_s():
    labels = [4, 0, 2, 2, 1, 3, 0]
    assert subsample_labels(labels, 'base') == [0, 1, 2]
    assert subsample_labels(labels, 'new') == [3, 4]
    assert subsample_labels(list(range(37)), 'base') == list(range(19))
    assert subsample_labels(list(range(37)), 'new') == list(range(19, 37))


def build(root, **kwargs):
    kwargs.setdefault('serialize_data', False)
    return OxfordPets(data_root=root, **kwargs)


def items_of(ds, tree):
    return [(osp.relpath(ds.get_data_info(i)['img_path'],
                         tree.image_root), ds.get_data_info(i)['gt_label']) for i in range(len(ds))]


def test_dataset_draw_is_coop_s_and_cut_after_draw(tmp_path):
    root = str(tmp_path / 'DATA')
    tree = make_split_tree(root, 'oxford_pets')
    split = json.load(open(osp.join(tree.dataset_root, 'split_zhou_OxfordPets.json')))
    for seed in (1, 2, 3):
        want_train, want_val = coop_reference(split['train'], split['val'], 3, seed)
        got = build(root, split='train', num_shots=3, seed=seed)
        assert items_of(got, tree) == want_train
        got = build(root, split='val', num_shots=3, seed=seed)
        assert items_of(got, tree) == want_val
        base = build(root, split='train', subsample='base', num_shots=3, seed=seed)
        assert items_of(base, tree) == [(r, y) for r, y in want_train if y < 3]
        new = build(root, split='train', subsample='new', num_shots=3, seed=seed)
        assert items_of(new, tree) == [(r, y - 3) for r, y in want_train if y >= 3]


def test_cache_is_portable_json_and_reused(tmp_path, monkeypatch):
    root = str(tmp_path / 'DATA')
    tree = make_split_tree(root, 'oxford_pets')
    first = items_of(build(root, split='train', num_shots=2, seed=1), tree)
    cache = osp.join(tree.dataset_root, 'split_fewshot', 'fewshot_2shot_seed1.json')
    text = open(cache).read()
    content = json.loads(text)
    assert root not in text and content['format'] == 'fvgpt-fewshot-v1'
    assert content['source'] == 'split_zhou_OxfordPets.json' and len(content['source_sha256']) == 64
    assert [tuple(x) for x in content['train']] == first
    assert len(content['val']) > 0
    # reused, not redrawn
    monkeypatch.setattr('fvgpt.datasets.b2n_dataset.draw_fewshot',
                        lambda *a, **k: pytest.fail('redrawn instead of read from the cache'))
    assert items_of(build(root, split='train', num_shots=2, seed=1), tree) == first
    # the data root moves: same subset, same cache file
    moved = str(tmp_path / 'elsewhere' / 'DATA')
    shutil.move(root, moved)
    tree.image_root = tree.image_root.replace(root, moved)
    assert items_of(build(moved, split='train', num_shots=2, seed=1), tree) == first
    monkeypatch.undo()
    # a fresh draw on another "machine" (no cache) writes the same bytes
    os.remove(osp.join(moved, 'oxford_pets', 'split_fewshot', 'fewshot_2shot_seed1.json'))
    build(moved, split='train', num_shots=2, seed=1)
    assert open(osp.join(moved, 'oxford_pets', 'split_fewshot',
                         'fewshot_2shot_seed1.json')).read() == text


def test_cache_of_another_split_file_is_refused(tmp_path):
    root = str(tmp_path)
    tree = make_split_tree(root, 'oxford_pets')
    build(root, split='train', num_shots=2, seed=1)
    path = osp.join(tree.dataset_root, 'split_zhou_OxfordPets.json')
    split = json.load(open(path))
    split['train'] = split['train'][1:]
    json.dump(split, open(path, 'w'))
    with pytest.raises(ValueError, match='split changed since the draw'):
        build(root, split='train', num_shots=2, seed=1)


def test_read_only_dataset_folder_falls_back(tmp_path, monkeypatch):
    root = str(tmp_path / 'DATA')
    tree = make_split_tree(root, 'oxford_pets')
    monkeypatch.setenv('FVGPT_CACHE_DIR', str(tmp_path / 'cache'))
    real_write = fewshot_module.write_fewshot_file

    def write(path, *args, **kwargs):  # the dataset folder is read-only (root ignores chmod)
        if path.startswith(tree.dataset_root):
            raise PermissionError(13, 'Permission denied')
        return real_write(path, *args, **kwargs)

    monkeypatch.setattr('fvgpt.datasets.fewshot.write_fewshot_file', write)
    first = items_of(build(root, split='train', num_shots=2, seed=1), tree)
    written = [osp.join(d, f) for d, _, fs in os.walk(tmp_path / 'cache') for f in fs]
    assert len(written) == 1 and written[0].endswith('fewshot_2shot_seed1.json')
    assert items_of(build(root, split='train', num_shots=2, seed=1), tree) == first
