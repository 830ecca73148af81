"""configs/fvgpt: one stage-2 config per B2N dataset, on its CoOp stage-1 config."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.models.fvgpt import FVGPT, Stage1CheckpointError
from fvgpt.testing import tiny_clip_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
STAGE1 = sorted(glob.glob(osp.join(REPO, 'configs', 'coop', 'coop_b2n_*.py')))
STAGE2 = sorted(glob.glob(osp.join(REPO, 'configs', 'fvgpt', 'coop_b2n_*.py')))


def test_one_stage2_config_per_stage1_config():
    assert len(STAGE1) == 12  # the 11 B2N datasets and the toy world
    assert [osp.basename(p) for p in STAGE2] == [osp.basename(p) for p in STAGE1]


@pytest.mark.parametrize('path', STAGE2, ids=osp.basename)
def test_stage2_config(path):
    name = osp.splitext(osp.basename(path))[0]
    cfg = Config.fromfile(path)
    stage1 = Config.fromfile(osp.join(REPO, cfg.stage1_config))
    model = cfg.model
    assert model.type == 'FVGPT' and model.backbone == stage1.model
    assert model.backbone_ckpt == f'work_dirs/{name}' and cfg.work_dir != model.backbone_ckpt
    assert model.test_branch == 'auto'
    # the defaults of METHOD.md
    head = model.base_head
    # s_fdc = 100 is CLIP's scale; the toy world's ToyCLIP uses its own (None = the backbone's)
    s_fdc = None if name == 'coop_b2n_toyworld' else 100
    assert (head.adapter.bottleneck, head.adapter.init_scale, head.logit_scale) == (64, 1e-3,
                                                                                   s_fdc)
    assert (head.gate.hidden, head.gate.area_min, head.gate.area_max) == (32, 0.02, 0.98)
    assert (head.loss_dist.tau, head.loss_dist.dist_mode, head.loss_dist.detach_gate,
            head.loss_dist.loss_weight) == (2.0, 'dual_teacher', True, 10.0)
    assert (head.loss_gate.delta, head.loss_gate.loss_weight) == (0.0, 1.0)
    new = model.new_head
    assert (new.gate.hidden, new.loss.tau_pc, new.loss.tau_kl, new.loss.use_kl,
            new.loss.loss_weight) == (32, 2.0, 2.0, True, 1.0)
    # data: base classes with masks, crop + flip, the foreground view, packed; test: no mask
    train = cfg.train_dataloader.dataset
    assert train.subsample == 'base' and train.with_mask and train.type == \
        stage1.train_dataloader.dataset.type
    types = [t.type for t in train.pipeline]
    assert types == ['LoadImageFromFile', 'LoadForegroundMask', 'PairedRandomResizedCrop',
                     'PairedRandomFlip', 'ForegroundView', 'mmpretrain.PackInputs']
    assert train.pipeline[-1].algorithm_keys == ('img_fg', 'gt_fg_mask', 'fg_mask_valid')
    assert train.pipeline[4].mode == 'masked'
    for loader in (cfg.val_dataloader, cfg.test_dataloader):
        assert not loader.dataset.get('with_mask', False)
        assert 'LoadForegroundMask' not in [t.type for t in loader.dataset.pipeline]
    assert cfg.test_dataloader.dataset.subsample == 'base'


def test_stage2_model_builds_and_asks_for_stage1(tmp_path):
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'fvgpt', 'coop_b2n_caltech101.py'))
    cfg.model.backbone.clip = tiny_clip_cfg()  # no download in tests
    cfg.model.backbone_ckpt = str(tmp_path / 'coop_b2n_caltech101')
    with pytest.raises(Stage1CheckpointError,
                       match='python tools/train.py configs/coop/coop_b2n_caltech101.py'):
        FVGPT(**{k: v for k, v in cfg.model.items() if k != 'type'})
    cfg.model.backbone_ckpt = None
    model = FVGPT(**{k: v for k, v in cfg.model.items() if k != 'type'})
    assert sorted(n.split('.')[0] for n, p in model.named_parameters()
                  if p.requires_grad) == ['base_head'] * 12 + ['new_head'] * 4  # 2 adapters + FRG; BRG
