"""The analysis tools end to end on a small toy world: the demo (which ends with
tools/toyworld/analyze.py), then tools/analysis/{gradcam,foreground_shift,plot_b2n}.py on its
runs. The numbers are checked against the protocol's own test results (mmengine's test loop)."""
import json
import os
import os.path as osp
import runpy
import shutil
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MODELS = ('zero-shot ToyCLIP', 'CoOp', 'FVG-PT (CoOp)')
NUM_BASE_TEST = 15 * 3  # 15 base classes, 3 test images each


@pytest.fixture(scope='module')
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp('demo')
    env = dict(os.environ, HF_HUB_OFFLINE='1', PYTHONPATH=REPO)
    # the demo's runs (it measures the shift index itself; analyze.py writes the files tested)
    demo_args = [
        'tools/toyworld/demo.py', '--data-root', root / 'data', '--work-dir', root / 'work',
        '--seeds', '1', '--world', 'num_train=4', 'num_val=2', 'num_test=3', '--epochs', '2',
        '--gt-masks'
    ]
    analyze_args = [
        'tools/toyworld/analyze.py', '--data-root', root / 'data', '--work-dir', root / 'work',
        '--gt-masks'
    ]
    for args in (demo_args, analyze_args):
        proc = subprocess.run([sys.executable, *map(str, args)],
                              cwd=REPO,
                              env=env,
                              capture_output=True,
                              text=True,
                              timeout=900)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root, proc.stdout


def run_tool(path, *args, monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(sys, 'argv', [path, *map(str, args)])
    runpy.run_path(osp.join(REPO, path), run_name='__main__')
    return capsys.readouterr().out


def run_dir(root, method):
    return root / 'work' / method / 'toyworld' / 'seed1'


def base_accuracy(root, method):
    return json.load(open(run_dir(root, method) / 'test_base.json'))['accuracy']


def test_demo_writes_the_grid_and_each_models_shift_index(demo):
    root, stdout = demo
    analysis = root / 'work' / 'analysis'
    assert osp.getsize(analysis / 'gradcam_grid.png') > 10000
    shift = json.load(open(analysis / 'shift_index.json'))
    assert list(shift['models']) == list(MODELS)
    for name, method in zip(MODELS, ('zsclip', 'coop', 'fvgpt')):
        row = shift['models'][name]
        # the analysis pass scores the base split exactly as mmengine's test loop did
        assert row['accuracy'] == pytest.approx(base_accuracy(root, method), abs=1e-3)
        # every test image has its mask; a Grad-CAM map can still be all zero (every channel
        # weighted against the class): such images are listed, not counted
        assert row['num_images'] == NUM_BASE_TEST
        assert row['num_used'] == NUM_BASE_TEST - len(row['excluded']['empty_map'])
        assert not row['excluded']['missing_mask'] and not row['excluded']['empty_mask']
        assert 0 < row['shift_index'] < 1
        assert row['scored_by'] == 'base'
    grid = json.load(open(analysis / 'gradcam.json'))
    assert len(grid['images']) == 6
    for image in grid['images']:
        assert set(image['models']) == set(MODELS)
        for out in image['models'].values():
            assert out['correct'] == (out['pred'] == image['label'])
            assert 0 <= out['outside_share'] <= 1
    assert 'foreground shift index' in stdout and 'shift_index.json' in stdout


def test_gradcam_tool(demo, tmp_path, monkeypatch, capsys):
    root, _ = demo
    coop = run_dir(root, 'coop')
    out = run_tool(
        'tools/analysis/gradcam.py',
        coop / 'coop_b2n_toyworld.py',
        coop,
        run_dir(root, 'zsclip') / 'zsclip_b2n_toyworld.py',
        'none',
        '--images',
        '0',
        'blue_circle/test_0002.png',
        '--names',
        'CoOp',
        'ZS',
        '--method',
        'cls_attention',
        '--work-dir',
        tmp_path,
        monkeypatch=monkeypatch,
        capsys=capsys)
    assert 'Saved to' in out and osp.getsize(tmp_path / 'gradcam_grid.png') > 5000
    grid = json.load(open(tmp_path / 'gradcam.json'))
    assert grid['method'] == 'cls_attention'
    assert [osp.basename(osp.dirname(i['path']))
            for i in grid['images']] == ['red_circle', 'blue_circle']
    assert grid['images'][1]['label'] == 'blue circle'
    for image in grid['images']:
        assert set(image['models']) == {'CoOp', 'ZS'}
        assert all(0 <= m['outside_share'] <= 1 for m in image['models'].values())


def test_foreground_shift_tool(demo, tmp_path, monkeypatch, capsys):
    root, _ = demo
    coop, fvgpt = run_dir(root, 'coop'), run_dir(root, 'fvgpt')
    # one test mask missing: reported, excluded, not counted as 0
    masks = tmp_path / 'masks'
    shutil.copytree(root / 'data' / 'toyworld' / 'mask', masks)
    missing = masks / 'red_circle' / 'test_0000.png'
    assert missing.is_file()
    missing.unlink()
    out = run_tool(
        'tools/analysis/foreground_shift.py',
        coop / 'coop_b2n_toyworld.py',
        '--checkpoints',
        coop,
        '--compare',
        fvgpt / 'coop_b2n_toyworld.py',
        fvgpt,
        '--labels',
        'CoOp',
        'FVG-PT',
        '--mask-root',
        masks,
        '--work-dir',
        tmp_path / 'out',
        monkeypatch=monkeypatch,
        capsys=capsys)
    assert 'Saved to' in out and osp.getsize(tmp_path / 'out' / 'foreground_shift.png') > 5000
    result = json.load(open(tmp_path / 'out' / 'foreground_shift.json'))
    assert [p['epoch'] for p in result['runs']['CoOp']] == [1, 2]
    assert [p['epoch'] for p in result['runs']['FVG-PT']] == [1, 2]
    last = {name: points[-1] for name, points in result['runs'].items()}
    # the last epoch is the checkpoint the protocol tested
    assert last['CoOp']['accuracy'] == pytest.approx(base_accuracy(root, 'coop'), abs=1e-3)
    assert last['FVG-PT']['accuracy'] == pytest.approx(base_accuracy(root, 'fvgpt'), abs=1e-3)
    assert result['zero_shot']['accuracy'] == pytest.approx(base_accuracy(root, 'zsclip'), abs=1e-3)
    for point in [*result['runs']['CoOp'], *result['runs']['FVG-PT'], result['zero_shot']]:
        excluded = point['excluded']
        assert [
            osp.relpath(p, root / 'data' / 'toyworld' / 'images') for p in excluded['missing_mask']
        ] == ['red_circle/test_0000.png']
        assert point['num_images'] == NUM_BASE_TEST
        assert point['num_used'] == NUM_BASE_TEST - 1 - len(excluded['empty_map'])
        assert 0 < point['shift_index'] < 1
    # the same models on the same masks minus one image: close to the demo's own figures
    shift = json.load(open(root / 'work' / 'analysis' / 'shift_index.json'))['models']
    assert result['zero_shot']['shift_index'] == pytest.approx(
        shift['zero-shot ToyCLIP']['shift_index'], abs=0.05)


def test_plot_b2n_tool(demo, tmp_path, monkeypatch, capsys):
    root, _ = demo
    results = root / 'work' / 'b2n_results.json'
    published = tmp_path / 'published.json'
    published.write_text(json.dumps({'coop': {'toyworld': dict(base=70.0, new=60.0, hm=64.6)}}))
    out = run_tool(
        'tools/analysis/plot_b2n.py',
        results,
        '--published',
        published,
        '--out',
        tmp_path / 'bars.png',
        monkeypatch=monkeypatch,
        capsys=capsys)
    assert 'Saved to' in out and osp.getsize(tmp_path / 'bars.png') > 5000
    bars = json.load(open(tmp_path / 'bars_bars.json'))
    tables = json.load(open(results))
    assert list(bars) == ['toyworld', 'average']
    for method in ('zsclip', 'coop', 'fvgpt'):
        for key in ('base', 'new', 'hm'):
            assert bars['toyworld'][method][key] == tables[method]['toyworld'][key]
    assert bars['toyworld']['coop (published)'] == dict(base=70.0, new=60.0, hm=64.6)
    assert 'coop (published)' not in bars['average']
