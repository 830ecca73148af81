"""tools/analysis/gpu_check.sh on a bare CPU machine (--smoke: toy configs, one step): it runs
the benchmark per config and precision and writes one JSON with the figures a user plans with."""
import json
import os
import os.path as osp
import subprocess

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_smoke_writes_step_throughput_and_memory_per_run(tmp_path):
    out = tmp_path / 'gpu_check.json'
    env = dict(os.environ, PYTHON=__import__('sys').executable)
    done = subprocess.run([
        'bash', 'tools/analysis/gpu_check.sh', '--smoke', '--only', 'coop', 'fvgpt_coop',
        '--precisions', 'fp32', 'amp', '--out',
        str(out)
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    runs = {(r['name'], r['precision']): r for r in report['runs']}
    assert set(runs) == {('coop', 'fp32'), ('fvgpt_coop', 'fp32'), ('coop', 'amp bf16'),
                         ('fvgpt_coop', 'amp bf16')}
    configs = dict(
        coop='configs/coop/coop_b2n_toyworld.py', fvgpt_coop='configs/fvgpt/coop_b2n_toyworld.py')
    for (name, precision), run in runs.items():
        result = run['result']
        assert result['config'] == configs[name]
        assert result['num_classes'] == 4
        assert result['amp'] == (None if precision == 'fp32' else 'bf16')
        assert result['train_step_s_median'] > 0 and result['test_images_per_s'] > 0
        assert result['train_peak_mem_mb'] > 0
    assert 'stage2_step_over_image_passes' in runs[('fvgpt_coop', 'fp32')]['result']
    assert 'test img/s' in done.stdout and report['skipped'] == []
