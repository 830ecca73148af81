"""tools/visualization/browse_dataset.py on a small toy world: a CoOp and an FVG-PT config."""
import json
import math
import os.path as osp
import runpy
import sys

import numpy as np
import pytest
from PIL import Image

from fvgpt.registry import DATASETS
from fvgpt.toyworld import ToyWorldConfig, write_toyworld
from fvgpt.visualization.sample_grid import LINE, MARGIN, tile_shape

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools/visualization/browse_dataset.py')
COOP = osp.join(REPO, 'configs/coop/coop_b2n_toyworld.py')
FVGPT = osp.join(REPO, 'configs/fvgpt/coop_b2n_toyworld.py')
WORLD = ToyWorldConfig(num_train=2, num_val=1, num_test=1, degraded_mask_ratio=0.0)


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('data'))
    write_toyworld(root, WORLD, progress=False)
    return root


def browse(config, *args):
    argv = sys.argv
    sys.argv = [TOOL, config, *args]
    try:
        return runpy.run_path(TOOL, run_name='__main__')
    finally:
        sys.argv = argv


def expected_size(num, cols, panel, with_mask):
    """(width, height) of a grid of ``num`` tiles in rows of ``cols``, with a title line."""
    h, w = tile_shape(panel, with_mask)
    cols = min(cols, num)
    rows = math.ceil(num / cols)
    return cols * w + (cols + 1) * MARGIN, LINE + MARGIN + rows * h + (rows + 1) * MARGIN


@pytest.mark.parametrize('num,cols', [(5, 3), (2, 4)])
def test_coop_grid_size_matches_n_samples(data_root, tmp_path, num, cols):
    out = tmp_path / 'out'
    browse(COOP, '--phase', 'test', '-n', str(num), '--cols', str(cols), '--panel-size', '96',
           '--output-dir', str(out), '--data-root', data_root)
    png = out / 'coop_b2n_toyworld_test.png'
    assert Image.open(png).size == expected_size(num, cols, 96, with_mask=False)
    records = json.loads((out / 'coop_b2n_toyworld_test.json').read_text())['samples']
    assert len(records) == num
    assert all('area' not in r for r in records)  # no mask in a CoOp pipeline
    assert records[0]['index'] == 0 and records[0]['label'].startswith('0: ')


def test_fvgpt_grid_shows_masks_and_the_models_area_rule(data_root, tmp_path):
    # Blank the mask of the first training sample (always in the grid): area 0, unreliable.
    from mmengine.config import Config
    cfg = Config.fromfile(FVGPT)
    dataset_cfg = dict(cfg.train_dataloader.dataset, data_root=data_root, num_shots=2, pipeline=[])
    dataset = DATASETS.build(dataset_cfg)
    first = dataset.get_data_info(0)
    blank = first['mask_path']
    Image.fromarray(np.zeros((64, 64), np.uint8)).save(blank)

    out = tmp_path / 'out'
    # The rule is read from the model config: a stricter area_min flags small masks too.
    browse(FVGPT, '-n', '6', '--cols', '3', '--panel-size', '96', '--output-dir', str(out),
           '--data-root', data_root, '--cfg-options', 'train_dataloader.dataset.num_shots=2',
           'model.base_head.gate.area_min=0.15')
    png = out / 'fvgpt_coop_b2n_toyworld_train.png'
    assert Image.open(png).size == expected_size(6, 3, 96, with_mask=True)
    meta = json.loads((out / 'fvgpt_coop_b2n_toyworld_train.json').read_text())
    assert meta['area_rule'] == {'area_min': 0.15, 'area_max': 0.98}
    records = meta['samples']
    assert len(records) == 6
    assert records[0]['img_path'] == first['img_path']
    assert records[0]['area'] == 0.0 and records[0]['reliable'] is False
    for r in records:
        assert 0.0 <= r['area'] <= 1.0 and r['valid']
        assert r['reliable'] == (0.15 <= r['area'] <= 0.98)
    assert any(r['reliable'] for r in records[1:])  # the generator's exact masks


def test_zero_shot_config_has_no_train_phase(data_root, tmp_path):
    with pytest.raises(KeyError, match='train_dataloader'):
        browse(
            osp.join(REPO, 'configs/zsclip/zsclip_b2n_toyworld.py'), '--output-dir', str(tmp_path),
            '--data-root', data_root)
