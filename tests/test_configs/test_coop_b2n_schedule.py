"""The CoOp B2N schedule gives Dassl's learning rates epoch by epoch."""
import math
import os.path as osp
import warnings

import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import PARAM_SCHEDULERS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_constant_warmup_then_cosine_like_dassl():
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/schedules/coop_b2n.py'))
    optim = build_optim_wrapper(torch.nn.Linear(1, 1), cfg.optim_wrapper)
    scheds = [PARAM_SCHEDULERS.build(dict(s, optimizer=optim)) for s in cfg.param_scheduler]
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for _ in range(cfg.train_cfg.max_epochs):
            lrs.append(optim.optimizer.param_groups[0]['lr'])
            for s in scheds:
                s.step()
    # Dassl: epoch 0 at the warm-up lr, then CosineAnnealingLR(T_max=10) from its step 1
    expected = [1e-5] + [0.0035 * (1 + math.cos(math.pi * e / 10)) / 2 for e in range(1, 10)]
    for got, want in zip(lrs, expected):
        assert math.isclose(got, want, rel_tol=1e-6), (lrs, expected)
