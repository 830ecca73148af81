"""Stage-1 configs of KgCoOp, PromptSRC, MMRL and MaPLe carry the authors' yaml recipes
(JREion/FVG-PT configs/trainers/{KgCoOp,PromptSRC,MMRL}/*.yaml; MaPLe: muzairkhattak/
multimodal-prompt-learning configs/trainers/MaPLe/*.yaml; restated below)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.apis import selects_best_val

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# yaml values: OPTIM.NAME / LR / MAX_EPOCH, DATALOADER.TRAIN_X.BATCH_SIZE, the crop's scale range
YAMLS = {
    # KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml
    'kgcoop': dict(optim='SGD', lr=0.0035, epochs=10, batch=4, crop=(0.08, 1.0)),
    # PromptSRC/vit_b16_c2_ep10_batch32_4+4ctx.yaml
    'promptsrc': dict(optim='SGD', lr=0.0025, epochs=10, batch=32, crop=(0.08, 1.0)),
    # MMRL/vit_b16.yaml (RRCROP_SCALE (0.5, 1)); ImageNet: MMRL/vit_b16_imagenet.yaml
    'mmrl': dict(optim='AdamW', lr=1e-3, epochs=10, batch=4, crop=(0.5, 1.0)),
    'mmrl_b2n_imagenet': dict(optim='AdamW', lr=1e-3, epochs=5, batch=32, crop=(0.5, 1.0)),
    # MaPLe/vit_b16_c2_ep5_batch4_2ctx.yaml (N_CTX 2, PROMPT_DEPTH 9)
    'maple': dict(optim='SGD', lr=0.0035, epochs=5, batch=4, crop=(0.08, 1.0), depth=9),
    # MaPLe/vit_b16_c2_ep5_batch4_2ctx_cross_datasets.yaml (PROMPT_DEPTH 3)
    'maple_xd_imagenet': dict(optim='SGD', lr=0.0026, epochs=2, batch=4, crop=(0.08, 1.0), depth=3),
}
CONFIGS = sorted(
    p for m in ('kgcoop', 'promptsrc', 'mmrl', 'maple')
    for p in glob.glob(osp.join(REPO, 'configs', m, f'{m}_b2n_*.py'))) + [
        osp.join(REPO, 'configs', 'maple', 'maple_xd_imagenet.py')
    ]


def test_every_dataset_has_a_config():
    assert len(CONFIGS) == 4 * 12 + 1  # the 11 B2N datasets and the toy world; MaPLe's xd


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_stage1_recipe(path):
    name = osp.splitext(osp.basename(path))[0]
    method = name.split('_')[0]
    want = YAMLS.get(name, YAMLS[method])
    cfg = Config.fromfile(path)
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.weight_decay) == (want['optim'], want['lr'], 5e-4)
    assert cfg.train_cfg.max_epochs == want['epochs']
    assert cfg.train_dataloader.batch_size == want['batch']
    crop = [t for t in cfg.train_dataloader.dataset.pipeline if t.type == 'PairedRandomResizedCrop']
    toy = name.endswith('_toyworld')  # the toy world always keeps (0.5, 1) of its 64 px
    assert len(crop) == 1 and tuple(
        crop[0].crop_ratio_range) == ((0.5, 1.0) if toy else want['crop'])
    assert 'PairedRandomFlip' in [t.type for t in cfg.train_dataloader.dataset.pipeline]
    model = cfg.model
    gpa = [h for h in cfg.custom_hooks if h.type == 'GaussianPromptAggregationHook']
    if method == 'kgcoop':
        assert (model.kg_weight, model.prompt_learner.n_ctx, model.prompt_learner.ctx_init) == \
            (2.0, 4, 'a photo of a')
        assert model.knowledge_template == ('a photo of a {}, a type of texture.'
                                            if name.endswith('_dtd') else None)
    elif method == 'promptsrc':
        learner = model.prompt_learner
        depths = (2, 3) if toy else (9, 9)
        assert (learner.n_ctx_text, learner.n_ctx_vision, learner.depth_text, learner.depth_vision,
                learner.ctx_init) == (4, 4, *depths, 'a photo of a')
        assert (model.text_weight, model.image_weight) == (25.0, 10.0)
        assert [(h.mean, h.std) for h in gpa] == [(15.0, 1.0)]
    elif method == 'maple':
        learner = model.prompt_learner
        assert (learner.type, learner.n_ctx, learner.depth, learner.ctx_init) == \
            ('MaPLePromptLearner', 2, 2 if toy else want['depth'], 'a photo of a')
    else:
        learner = model.representation_learner
        assert (learner.n_tokens, learner.rep_dim) == (5, 512)
        assert learner.rep_layers == ([2, 3] if toy else [6, 7, 8, 9, 10, 11, 12])
        assert (model.alpha, model.reg_weight, model.logit_scale) == (0.7, 1.0, 100.0)
        assert model.fused_inference == 'base'
    if method != 'promptsrc':
        assert not gpa
    assert not selects_best_val(cfg)  # no TEST.FINAL_MODEL in these yamls: Dassl's last_step


def test_fvgpt_stage2_does_not_aggregate_prompts():
    for path in glob.glob(osp.join(REPO, 'configs', 'fvgpt', 'promptsrc_b2n_*.py')):
        hooks = [h.type for h in Config.fromfile(path).custom_hooks]
        assert 'GaussianPromptAggregationHook' not in hooks, path


# The authors' protocol-specific yamls (JREion/FVG-PT configs/trainers/<Method>/ and
# FVGPT_<Method>/, same OPTIM/DATALOADER/TRAINER blocks), restated: optimizer, lr, epochs,
# WARMUP_EPOCH, DATALOADER.TRAIN_X.BATCH_SIZE, the crop's scale range, the method fields, and
# TEST.FINAL_MODEL (Dassl's default "last_step" where the yaml has none).
PROTOCOL_YAMLS = {
    # PromptSRC/vit_b16_c2_ep5_batch32_4+4ctx_cross_datasets.yaml (DG and cross-dataset)
    'promptsrc_xd':
    dict(
        optim='SGD',
        lr=0.0035,
        epochs=5,
        warmup=1,
        batch=4,
        crop=(0.08, 1.0),
        depth=3,
        gpa=(6.0, 10.0),
        final_model='last_step'),
    # PromptSRC/vit_b16_c2_ep50_batch4_4+4ctx_few_shot.yaml; GPA 30/30 for ImageNet, Caltech101,
    # OxfordPets, Food101, UCF101, SUN397, else 45/5 (the yaml's comment)
    'promptsrc_fewshot':
    dict(
        optim='SGD',
        lr=0.005,
        epochs=50,
        warmup=1,
        batch=8,
        crop=(0.08, 1.0),
        depth=9,
        gpa=(30.0, 30.0),
        final_model='best_val'),
    # MMRL/vit_b16_cross_datasets.yaml: REG_WEIGHT 0.2, WARMUP_EPOCH 0
    'mmrl_xd':
    dict(
        optim='AdamW',
        lr=1e-3,
        epochs=5,
        warmup=0,
        batch=32,
        crop=(0.5, 1.0),
        reg_weight=0.2,
        fused='never',
        final_model='last_step'),
    # MMRL/vit_b16_few_shot.yaml: REG_WEIGHT 0.5; the trainer's TASK "FS" fuses for every class
    'mmrl_fewshot':
    dict(
        optim='AdamW',
        lr=1e-3,
        epochs=50,
        warmup=1,
        batch=32,
        crop=(0.5, 1.0),
        reg_weight=0.5,
        fused='always',
        final_model='last_step'),
}
FINE_GRAINED = {'stanford_cars', 'oxford_flowers', 'fgvc_aircraft', 'dtd', 'eurosat'}
DATASETS = [
    'imagenet', 'caltech101', 'oxford_pets', 'stanford_cars', 'oxford_flowers', 'food101',
    'fgvc_aircraft', 'sun397', 'dtd', 'eurosat', 'ucf101'
]
PROTOCOL_CONFIGS = [(recipe, ds) for recipe in PROTOCOL_YAMLS
                    for ds in (['imagenet'] if recipe.endswith('_xd') else DATASETS)]


def check_protocol_recipe(cfg, want, dataset, backbone_model, stage2):
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.weight_decay) == (want['optim'], want['lr'], 5e-4)
    (sched, ) = cfg.param_scheduler
    assert (cfg.train_cfg.max_epochs, sched['T_max'], sched['warmup_epochs']) == \
        (want['epochs'], want['epochs'], want['warmup'])
    assert cfg.train_dataloader.batch_size == want['batch']
    crop = [t for t in cfg.train_dataloader.dataset.pipeline if 'RandomResizedCrop' in t.type]
    assert len(crop) == 1 and tuple(crop[0].crop_ratio_range) == want['crop']
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert cfg[key].dataset.subsample == 'all', key  # all classes: no base / new split
    if 'depth' in want:
        learner = backbone_model.prompt_learner
        assert (learner.depth_text, learner.depth_vision) == (want['depth'], want['depth'])
    else:
        assert (backbone_model.reg_weight, backbone_model.fused_inference) == \
            (want['reg_weight'], want['fused'])
    # best_val: validation on the few-shot val split after every epoch, its best epoch deployed
    assert selects_best_val(cfg) == (want['final_model'] == 'best_val')
    if selects_best_val(cfg):
        assert cfg.val_dataloader.dataset.split == 'val'
    gpa = [(h.mean, h.std) for h in cfg.custom_hooks if h.type == 'GaussianPromptAggregationHook']
    if stage2 or 'gpa' not in want:
        assert gpa == []
    else:
        fine = want['depth'] == 9 and dataset in FINE_GRAINED
        assert gpa == [(45.0, 5.0) if fine else want['gpa']]


@pytest.mark.parametrize('recipe,dataset', PROTOCOL_CONFIGS, ids=lambda x: str(x))
def test_protocol_specific_recipes(recipe, dataset):
    want = PROTOCOL_YAMLS[recipe]
    name = f'{recipe}_{dataset}'
    stage1 = Config.fromfile(osp.join(REPO, 'configs', recipe.split('_')[0], f'{name}.py'))
    check_protocol_recipe(stage1, want, dataset, stage1.model, stage2=False)
    stage2 = Config.fromfile(osp.join(REPO, 'configs', 'fvgpt', f'{name}.py'))
    assert stage2.model.type == 'FVGPT'
    assert stage2.model.stage1_config == f'configs/{recipe.split("_")[0]}/{name}.py'
    # stage 2's frozen backbone is stage 1's model, field for field
    assert stage2.model.backbone.to_dict() == stage1.model.to_dict()
    check_protocol_recipe(stage2, want, dataset, stage2.model.backbone, stage2=True)


def test_protocols_run_the_protocol_specific_recipes():
    for backbone in ('promptsrc', 'mmrl'):
        for kind, recipe in (('dg', 'xd'), ('xd', 'xd'), ('fewshot', 'fewshot')):
            protocol = Config.fromfile(
                osp.join(REPO, 'configs', 'protocols', f'{kind}_{backbone}_fvgpt.py'))
            configs = {m['name']: m['config'] for m in protocol.methods}
            assert configs == {
                backbone: f'configs/{backbone}/{backbone}_{recipe}_{{dataset}}.py',
                f'fvgpt_{backbone}': f'configs/fvgpt/{backbone}_{recipe}_{{dataset}}.py'
            }
