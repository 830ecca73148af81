"""The README's main job, shortened (a small world, one epoch per stage), end to end: a short
console that names what it wrote, the full output in the work dir."""
import json
import os
import os.path as osp
import subprocess
import sys

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: The console a newcomer reads: 7 stage lines, the B2N table (title, header, rule, 3 rows),
#: the 5 conditions (title, 5 lines, FVG-PT's index), files, log path and time, and blank lines.
MAX_CONSOLE_LINES = 30


def test_demo_runs_the_whole_chain_and_prints_a_short_report(tmp_path):
    work = tmp_path / 'work'
    env = dict(os.environ, HF_HUB_OFFLINE='1', PYTHONPATH=REPO)
    # Run from another folder: configs, shipped weights and the segmenter come from the
    # repository whatever the current folder (the demo neither changes folder nor shells out).
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    proc = subprocess.run([
        sys.executable,
        osp.join(REPO, 'tools/toyworld/demo.py'), '--data-root',
        str(tmp_path / 'data'), '--work-dir',
        str(work), '--seeds', '1', '--world', 'num_train=4', 'num_val=2', 'num_test=3', '--epochs',
        '1', '--grid-images', '2'
    ],
                          cwd=elsewhere,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert len(lines) <= MAX_CONSOLE_LINES, proc.stdout
    assert proc.stderr.strip() == '', proc.stderr[-2000:]
    # one line per stage: world, masks, zero-shot, CoOp, FVG-PT, attention shift, masks, figures
    for stage in ('world', 'masks (segmenter)', 'zero-shot', 'CoOp seed 1', 'FVG-PT (CoOp) seed 1',
                  'attention shift', 'mask quality', 'figures'):
        assert sum(line.startswith('> ' + stage) for line in lines) == 1, (stage, proc.stdout)
    # the side-by-side table with the difference to CoOp
    rows = {
        line.split()[0]: line
        for line in lines if line.startswith(('zero-shot', 'CoOp ', 'FVG-PT'))
    }
    assert set(rows) == {'zero-shot', 'CoOp', 'FVG-PT'} and rows['FVG-PT'].count('/') == 2
    for number in range(1, 6):
        assert sum(line.startswith(f'{number}. ') for line in lines) == 1, proc.stdout
    # one seed is not what the conditions are stated over, and the heading says so
    assert any(
        line.startswith('Conditions of the real problem') and 'seeds 1 only' in line
        for line in lines), proc.stdout
    # every file the console names exists; the full log holds mmengine's output
    files = [line for line in lines if line.startswith('Files: ')][0][len('Files: '):].split(', ')
    names = {osp.basename(f) for f in files}
    assert {
        'b2n_results.json', 'b2n_results.md', 'conditions.json', 'b2n_bars.png', 'gradcam_grid.png'
    } <= names
    assert all(osp.isfile(f) for f in files), files
    log = (work / 'demo.log').read_text()
    assert 'mmengine' in log and 'Epoch(train)' in log
    assert list(elsewhere.iterdir()) == []  # nothing written into the current folder
    assert lines[-1].startswith('Done in ') and lines[-1].endswith(' s.')
    # the masks FVG-PT trained on are the segmenter's, in the world's mask_seg folder
    seg = tmp_path / 'data' / 'toyworld' / 'mask_seg'
    assert len(list(seg.rglob('*.png'))) == 30 * (4 + 2 + 3)
    tables = json.load(open(work / 'b2n_results.json'))
    assert set(tables) == {'zsclip', 'coop', 'fvgpt'}
    for table in tables.values():
        row = table['toyworld']
        assert 0 <= row['base'] <= 100 and 0 <= row['new'] <= 100 and row['complete']
    measured = json.load(open(work / 'conditions.json'))
    assert [c['number'] for c in measured['conditions']] == [1, 2, 3, 4, 5]
    assert set(measured['shift_index']) == {'zsclip', 'coop', 'fvgpt'}
    assert 0 <= measured['shift_index']['coop'] <= 1
    assert measured['mask_iou']['images'] == 30 * 4
    # --epochs shortens Dassl's schedule instead of dropping it: warm-up + cosine, T_max = epochs
    for method, name in (('coop', 'coop_b2n_toyworld.py'), ('fvgpt', 'coop_b2n_toyworld.py')):
        cfg = Config.fromfile(str(work / method / 'toyworld' / 'seed1' / name))
        (sched, ) = cfg.param_scheduler
        assert sched['type'] == 'WarmupCosineAnnealingLR' and sched['T_max'] == 1
        assert cfg.train_cfg.max_epochs == 1
