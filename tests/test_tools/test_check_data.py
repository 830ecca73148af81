"""tools/check_data.py: reports each kind of problem with its fix, and exits 0 on a complete
tree."""
import dataclasses
import importlib.util
import os
import os.path as osp
import runpy
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
from fvgpt.datasets import COOP_DATASETS  # noqa: E402
from fvgpt.datasets import data_check  # noqa: E402
from fvgpt.testing.fake_coop_tree import make_tree  # noqa: E402


def load_tool():
    spec = importlib.util.spec_from_file_location('check_data_tool',
                                                  osp.join(REPO, 'tools', 'check_data.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake_data(tmp_path, monkeypatch):
    """All 15 datasets with masks, and CoOp's expected counts replaced by the fake ones."""
    root = str(tmp_path / 'DATA')
    trees = {name: make_tree(root, name, masks=True) for name in COOP_DATASETS}
    real = data_check.get_coop_meta

    def fake_meta(name):
        meta = real(name)
        tree = trees[meta.name]
        return dataclasses.replace(meta, counts=tree.counts(), num_classes=len(tree.classes))

    monkeypatch.setattr(data_check, 'get_coop_meta', fake_meta)
    return root, trees


def run(capsys, *args):
    status = load_tool().main(list(args))
    return status, capsys.readouterr().out


def test_complete_tree_passes(fake_data, capsys):
    root, _ = fake_data
    status, out = run(capsys, '--data-root', root, '--datasets', 'all', '--masks')
    assert status == 0, out
    assert 'All 15 dataset(s) OK.' in out
    assert 'MISSING' not in out and 'WRONG' not in out
    assert '== oxford_pets (OxfordPets)' in out and 'train masks' in out


def test_each_problem_is_reported_with_its_fix(fake_data, capsys):
    root, trees = fake_data
    os.rename(trees['dtd'].dataset_root, trees['dtd'].dataset_root + '_moved')
    os.remove(osp.join(trees['caltech101'].dataset_root, 'split_zhou_Caltech101.json'))
    pets_img = osp.join(trees['oxford_pets'].image_root, trees['oxford_pets'].items['val'][0][0])
    os.remove(pets_img)
    euro = trees['eurosat']
    euro_mask = osp.join(euro.dataset_root, 'mask', '2750', euro.items['train'][0][0])
    os.remove(euro_mask)
    status, out = run(capsys, '--data-root', root, '--datasets', 'dtd', 'caltech101', 'OxfordPets',
                      'eurosat', 'imagenet', '--masks')
    assert status == 1
    reports = {block.split()[0]: block for block in out.split('== ')[1:]}
    # missing folder
    assert 'dataset folder  MISSING' in reports['dtd']
    assert 'fix: create it under data_root' in reports['dtd'] and 'dtd-r1.0.1' in reports['dtd']
    # missing split file
    assert 'split file      MISSING' in reports['caltech101']
    assert 'split_zhou_Caltech101.json' in reports['caltech101']
    assert 'DATASETS.md' in reports['caltech101'] and 'Do not regenerate' in reports['caltech101']
    # missing image
    assert 'val image files' in reports['oxford_pets'] and pets_img in reports['oxford_pets']
    assert '1 of 17 listed images are missing' in reports['oxford_pets']
    # missing mask
    assert 'train masks' in reports['eurosat'] and euro_mask in reports['eurosat']
    assert 'MISSING' in reports['eurosat'] and "on_missing='invalid'" in reports['eurosat']
    # a complete dataset in the same run
    assert 'MISSING' not in reports['imagenet'] and 'WRONG' not in reports['imagenet']
    assert 'Problems in 4 of 5 dataset(s): dtd, caltech101, oxford_pets, eurosat' in out


def test_counts_are_checked_against_coop(tmp_path, capsys):
    root = str(tmp_path)
    make_tree(root, 'oxford_pets')
    status, out = run(capsys, '--data-root', root, '--datasets', 'oxford_pets')
    assert status == 1
    assert 'train images' in out and '25 (CoOp: 2,944)' in out and 'WRONG' in out
    assert 'classes' in out and '5 (CoOp: 37)' in out


def test_unknown_dataset_name(tmp_path, capsys):
    status = load_tool().main(['--data-root', str(tmp_path), '--datasets', 'mnist'])
    assert status == 2
    assert 'Unknown CoOp dataset "mnist"' in capsys.readouterr().err


def test_command_line_exit_status(tmp_path, monkeypatch, capsys):
    """Run as a script: the exit status is the process's (in-process: a new interpreter would
    spend seconds importing the stack)."""
    monkeypatch.setattr(sys, 'argv',
                        ['check_data.py', '--data-root',
                         str(tmp_path), '--datasets', 'eurosat'])
    with pytest.raises(SystemExit) as exc:
        runpy.run_path(osp.join(REPO, 'tools', 'check_data.py'), run_name='__main__')
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert 'dataset folder' in out and 'MISSING' in out and 'fix:' in out
