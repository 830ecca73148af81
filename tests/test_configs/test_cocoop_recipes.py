"""Stage-1 CoCoOp configs carry the authors' yaml recipe (KaiyangZhou/CoOp
configs/trainers/CoCoOp/vit_b16_c4_ep10_batch1_ctxv1.yaml, restated below; scripts/cocoop/
base2new_train.sh runs it for every dataset)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# OPTIM.NAME / LR / MAX_EPOCH / WARMUP_CONS_LR, DATALOADER.TRAIN_X / TEST BATCH_SIZE,
# TRAINER.COCOOP.N_CTX / CTX_INIT, and Dassl's random_resized_crop scale
YAML = dict(
    optim='SGD',
    lr=0.002,
    epochs=10,
    warmup_lr=1e-5,
    batch=1,
    test_batch=100,
    n_ctx=4,
    ctx_init='a photo of a',
    crop=(0.08, 1.0))
CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'cocoop', 'cocoop_b2n_*.py')))


def test_every_dataset_has_a_config():
    assert len(CONFIGS) == 12  # the 11 B2N datasets and the toy world


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_cocoop_config_is_its_yaml(path):
    toy = path.endswith('_toyworld.py')
    cfg = Config.fromfile(path)
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.momentum, optim.weight_decay) == \
        (YAML['optim'], YAML['lr'], 0.9, 5e-4)
    (sched, ) = cfg.param_scheduler
    assert (sched.type, sched.T_max, sched.warmup_epochs, sched.warmup_value) == \
        ('WarmupCosineAnnealingLR', YAML['epochs'], 1, YAML['warmup_lr'])
    assert cfg.train_cfg.max_epochs == YAML['epochs']
    assert cfg.train_dataloader.batch_size == YAML['batch']
    if not toy:
        assert cfg.test_dataloader.batch_size == YAML['test_batch']
        assert cfg.model.clip.model_name == 'ViT-B-16' and cfg.model.clip.pretrained == 'openai'
    assert cfg.model.type == 'CoCoOp'
    learner = cfg.model.prompt_learner
    assert (learner.type, learner.n_ctx, learner.ctx_init, learner.meta_net_ratio) == \
        ('CoCoOpPromptLearner', YAML['n_ctx'], YAML['ctx_init'], 16)
    pipeline = cfg.train_dataloader.dataset.pipeline
    crop = [t for t in pipeline if t.type == 'PairedRandomResizedCrop']
    # the toy world always keeps (0.5, 1) of its 64 px
    assert len(crop) == 1 and tuple(
        crop[0].crop_ratio_range) == ((0.5, 1.0) if toy else YAML['crop'])
    assert 'PairedRandomFlip' in [t.type for t in pipeline]
