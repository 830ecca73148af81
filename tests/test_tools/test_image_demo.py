"""demo/image_demo.py on a folder of toy-world images (zero-shot ToyCLIP: no training needed)."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import mmcv

from fvgpt.toyworld import TOYCLIP_CHECKPOINT, ToyWorld, ToyWorldConfig, write_toyworld

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
WORLD = ToyWorldConfig(num_train=1, num_val=1, num_test=1, degraded_mask_ratio=0.0)


def test_demo_prints_a_table_skips_non_images_and_draws_top3(tmp_path):
    world = ToyWorld(WORLD)
    data_root = str(tmp_path / 'data')
    write_toyworld(data_root, WORLD, progress=False)
    folder = tmp_path / 'mine'
    folder.mkdir()
    picks = {'one.png': 0, 'two.png': 7, 'three.png': 16}  # red circle, ..., a new class
    for name, label in picks.items():
        shutil.copy(
            osp.join(data_root, 'toyworld', 'images', world.relpath('test', label, 0)),
            folder / name)
    (folder / 'readme.txt').write_text('not an image')
    classes = [world.classes[label] for label in (0, 7, 16, 22)]
    env = dict(os.environ, HF_HUB_OFFLINE='1', OMP_NUM_THREADS='1', PYTHONPATH=REPO)
    proc = subprocess.run([
        sys.executable, 'demo/image_demo.py',
        str(folder), 'configs/zsclip/zsclip_b2n_toyworld.py', '--classes', ','.join(classes),
        '--templates', 'a photo of a {}.', 'a {}.', '--show-dir',
        str(tmp_path / 'shown'), '--device', 'cpu', '--cfg-options',
        f'model.clip.pretrained={TOYCLIP_CHECKPOINT}'
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith('image'))
    rows = {line.split()[0]: line for line in lines[header + 2:header + 5]}
    assert sorted(rows) == sorted(picks)
    for name, line in rows.items():
        # one class name of the list as top-1, then the top 3 with scores
        assert any(f'  {c}  ' in line for c in classes), line
        assert line.count(', ') == 2
    assert any('Skipped (not an image)' in line and 'readme.txt' in line for line in lines)
    shown = sorted(os.listdir(tmp_path / 'shown'))
    assert shown == sorted(picks)
    assert min(mmcv.imread(str(tmp_path / 'shown' / 'one.png')).shape[:2]) >= 224
