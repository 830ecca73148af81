"""The segmenter configs of configs/segmenters/ build, predict and train (one step) offline."""
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope

from fvgpt.segmentation import Segmenter

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'segmenters', '*.py')))


@pytest.mark.parametrize('config', CONFIGS, ids=osp.basename)
def test_segmenter_config_predicts_and_trains(config):
    seg = Segmenter(config, None, foreground='binary')
    assert seg.class_names == ('background', 'foreground')
    images = [np.zeros((64, 64, 3), np.uint8), np.zeros((60, 80, 3), np.uint8)]
    masks = seg.segment(images)
    assert [m.shape for m in masks] == [(64, 64), (60, 80)]
    assert all(set(np.unique(m)) <= {0, 1} for m in masks)
    assert sum(p.numel() for p in seg.model.parameters()) < 1e6  # small enough for a CPU

    from mmengine.optim import build_optim_wrapper
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    model = seg.model.train()
    samples = []
    for _ in range(2):
        sample = SegDataSample(metainfo=dict(img_shape=(96, 96), pad_shape=(96, 96)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, 2, (1, 96, 96)))
        samples.append(sample)
    data = dict(
        inputs=[torch.randint(0, 255, (3, 96, 96), dtype=torch.uint8)] * 2, data_samples=samples)
    with DefaultScope.overwrite_default_scope('mmseg'):
        optim = build_optim_wrapper(model, seg.cfg.optim_wrapper)
        losses = model.train_step(data, optim)
    assert torch.isfinite(losses['decode.loss_ce'])
