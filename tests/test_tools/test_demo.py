"""The README's main job, shortened (a small world, one epoch per stage), end to end."""
import json
import os
import os.path as osp
import subprocess
import sys

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_demo_runs_the_whole_chain_and_writes_the_table(tmp_path):
    work = tmp_path / 'work'
    env = dict(os.environ, HF_HUB_OFFLINE='1', PYTHONPATH=REPO)
    proc = subprocess.run([
        sys.executable, 'tools/toyworld/demo.py', '--data-root',
        str(tmp_path / 'data'), '--work-dir',
        str(work), '--num-train', '4', '--num-val', '2', '--num-test', '3', '--epochs', '1'
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # the masks FVG-PT trained on are the segmenter's, in the world's mask_seg folder
    seg = tmp_path / 'data' / 'toyworld' / 'mask_seg'
    assert len(list(seg.rglob('*.png'))) == 30 * (4 + 2 + 3)
    tables = json.load(open(work / 'b2n_results.json'))
    assert set(tables) == {'zsclip', 'coop', 'fvgpt'}
    for table in tables.values():
        row = table['toyworld']
        assert 0 <= row['base'] <= 100 and 0 <= row['new'] <= 100 and row['complete']
    assert '## fvgpt' in (work / 'b2n_results.md').read_text()
    assert 'fvgpt' in proc.stdout and 'Saved to' in proc.stdout
    # --epochs shortens Dassl's schedule instead of dropping it: warm-up + cosine, T_max = epochs
    for method, name in (('coop', 'coop_b2n_toyworld.py'), ('fvgpt', 'coop_b2n_toyworld.py')):
        cfg = Config.fromfile(str(work / method / 'toyworld' / 'seed1' / name))
        (sched, ) = cfg.param_scheduler
        assert sched['type'] == 'WarmupCosineAnnealingLR' and sched['T_max'] == 1
        assert cfg.train_cfg.max_epochs == 1
