"""configs/fvgpt: one stage-2 config per backbone and B2N dataset, on its stage-1 config."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.models.fvgpt import FVGPT, Stage1CheckpointError
from fvgpt.testing import tiny_clip_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
BACKBONES = ('coop', 'ivlp', 'kgcoop', 'promptsrc', 'mmrl', 'maple', 'tcp', 'cocoop')
STAGE2 = sorted(
    p for b in BACKBONES for p in glob.glob(osp.join(REPO, 'configs', 'fvgpt', f'{b}_b2n_*.py')))
# The authors' stage-2 recipe per backbone (configs/trainers/FVGPT_<backbone>/*.yaml; IVLP has
# none and follows FVGPT_PromptSRC, whose prompts are IVLP's; CoCoOp has none and follows
# FVGPT_CoOp): optimizer, lr, batch, epochs; MMRL
# on ImageNet follows FVGPT_MMRL/vit_b16_imagenet.yaml.
RECIPES = {
    'coop': ('SGD', 0.0035, 4, 10),
    'ivlp': ('SGD', 0.0025, 32, 10),
    'kgcoop': ('SGD', 0.0035, 4, 10),
    'promptsrc': ('SGD', 0.0025, 32, 10),
    'mmrl': ('AdamW', 1e-3, 4, 10),
    'mmrl_b2n_imagenet': ('AdamW', 1e-3, 32, 5),
    # no FVGPT_MaPLe yaml: MaPLe's own (vit_b16_c2_ep5_batch4_2ctx.yaml), as each FVGPT_<backbone>
    # yaml repeats its backbone's
    'maple': ('SGD', 0.0035, 4, 5),
    # no FVGPT_TCP yaml: TCP's own recipe (TCP/vit_b16_ep100_ctxv1.yaml; 25 epochs on ImageNet
    # and SUN397, its train.py)
    'tcp': ('Adam', 0.002, 32, 50),
    'tcp_b2n_imagenet': ('Adam', 0.002, 32, 25),
    'tcp_b2n_sun397': ('Adam', 0.002, 32, 25),
    # no FVGPT_CoCoOp yaml: the CoOp family's FVGPT_CoOp/vit_b16_ep10.yaml
    'cocoop': ('SGD', 0.0035, 4, 10),
}


@pytest.mark.parametrize('backbone', BACKBONES)
def test_one_stage2_config_per_stage1_config(backbone):
    stage1 = sorted(glob.glob(osp.join(REPO, 'configs', backbone, f'{backbone}_b2n_*.py')))
    assert len(stage1) == 12  # the 11 B2N datasets and the toy world
    assert sorted(osp.basename(p) for p in STAGE2 if osp.basename(p).startswith(backbone)) == \
        [osp.basename(p) for p in stage1]


@pytest.mark.parametrize('path', STAGE2, ids=osp.basename)
def test_stage2_config(path):
    name = osp.splitext(osp.basename(path))[0]
    backbone = name.split('_')[0]
    cfg = Config.fromfile(path)
    model = cfg.model
    # stage 1 is named once; the backbone is exactly stage 1's model, the checkpoint its work dir
    assert model.stage1_config == f'configs/{backbone}/{name}.py'
    stage1 = Config.fromfile(osp.join(REPO, model.stage1_config))
    assert model.type == 'FVGPT' and model.backbone == stage1.model
    assert model.backbone_ckpt == 'auto' and cfg.work_dir == f'work_dirs/fvgpt_{name}'
    assert model.test_branch == 'auto'
    assert (cfg.optim_wrapper.optimizer.type, cfg.optim_wrapper.optimizer.lr,
            cfg.train_dataloader.batch_size,
            cfg.train_cfg.max_epochs) == RECIPES.get(name, RECIPES[backbone])
    # the defaults of METHOD.md
    head = model.base_head
    # s_fdc = 100 is CLIP's scale; the toy world's ToyCLIP uses its own (None = the backbone's)
    s_fdc = None if name.endswith('_toyworld') else 100
    assert (head.adapter.bottleneck, head.adapter.init_scale, head.logit_scale) == (64, 1e-3, s_fdc)
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
    assert types == [
        'LoadImageFromFile', 'LoadForegroundMask', 'PairedRandomResizedCrop', 'PairedRandomFlip',
        'ForegroundView', 'mmpretrain.PackInputs'
    ]
    assert train.pipeline[-1].algorithm_keys == ('img_fg', 'gt_fg_mask', 'fg_mask_valid')
    assert train.pipeline[4].mode == 'masked'
    # MMRL's yaml crops (0.5, 1) of the area (INPUT.RRCROP_SCALE), as the toy world always does
    crop = (0.5, 1.0) if backbone == 'mmrl' or name.endswith('_toyworld') else (0.08, 1.0)
    assert tuple(train.pipeline[2].crop_ratio_range) == crop
    for loader in (cfg.val_dataloader, cfg.test_dataloader):
        assert not loader.dataset.get('with_mask', False)
        assert 'LoadForegroundMask' not in [t.type for t in loader.dataset.pipeline]
    assert cfg.test_dataloader.dataset.subsample == 'base'


def test_stage2_model_builds_and_asks_for_stage1(tmp_path):
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'fvgpt', 'coop_b2n_caltech101.py'))
    cfg.model.backbone.clip = tiny_clip_cfg()  # no download in tests
    with pytest.raises(
            Stage1CheckpointError,  # 'auto': stage 1's default work dir
            match='python tools/train.py configs/coop/coop_b2n_caltech101.py '
            '--work-dir work_dirs/coop_b2n_caltech101'):
        FVGPT(**{k: v for k, v in cfg.model.items() if k != 'type'})
    cfg.model.backbone_ckpt = None
    model = FVGPT(**{k: v for k, v in cfg.model.items() if k != 'type'})
    assert sorted(
        n.split('.')[0] for n, p in model.named_parameters()
        if p.requires_grad) == ['base_head'] * 12 + ['new_head'] * 4  # 2 adapters + FRG; BRG


def test_maple_transfer_stage2_config():
    # DG / cross-dataset: stage 2 on the cross-dataset MaPLe (depth 3) with its yaml's schedule
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'fvgpt', 'maple_xd_imagenet.py'))
    stage1 = Config.fromfile(osp.join(REPO, cfg.model.stage1_config))
    assert cfg.model.stage1_config == 'configs/maple/maple_xd_imagenet.py'
    assert cfg.model.backbone == stage1.model and stage1.model.prompt_learner.depth == 3
    assert (cfg.optim_wrapper.optimizer.lr, cfg.train_dataloader.batch_size,
            cfg.train_cfg.max_epochs) == (0.0026, 4, 2)
    assert [s.T_max for s in cfg.param_scheduler] == [2]
    assert cfg.work_dir == 'work_dirs/fvgpt_maple_xd_imagenet'
