"""TCP's stage-1 configs carry its authors' recipe, restated below from
htyao89/Textual-based_Class-aware_prompt_tuning: ``configs/trainers/TCP/vit_b16_ep100_ctxv1.yaml``
(OPTIM, batch, transforms, CTX_INIT False), ``scripts/base2new_train.sh`` (N_CTX 4, CSC False,
class token at the end), ``train.py`` (25 epochs for ImageNet and SUN397), the README (Adam eps
1e-3) and ``trainers/tcp.py`` (``CUSTOM_TEMPLATES``, ``CUSTOM_TEMPLATES_ori``, the loss weight 8.0,
the class-aware tokens before block 8)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from fvgpt.datasets.coop_meta import get_coop_meta

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(glob.glob(osp.join(REPO, 'configs', 'tcp', 'tcp_b2n_*.py')))

# tcp.py CUSTOM_TEMPLATES (prompt, first 4 tokens the context) and CUSTOM_TEMPLATES_ori (hand).
AUTHORS_TEMPLATES = {
    'oxford_pets': ('X X X X {}, a type of pet.', 'a photo of a {}, a type of pet.'),
    'oxford_flowers': ('X X X X {}, a type of flower.', 'a photo of a {}, a type of flower.'),
    'fgvc_aircraft': ('X X X X {}, a type of aircraft.', 'a photo of an aircraft {}.'),
    'dtd': ('X X X X {} texture.', 'a photo of a {}, a type of texture.'),
    'eurosat': ('X X X X {}.', 'a centered satellite photo of {}.'),
    'stanford_cars': ('X X X X {}, a type of car', 'a photo of a {}.'),
    'food101': ('X X X X {}, a type of food.', 'a photo of a {}, a type of food.'),
    'sun397': ('X X X X {}.', 'a photo of a {}.'),
    'caltech101': ('X X X X {}.', 'a photo of a {}.'),
    'ucf101': ('a photo of a person doing {}.', 'a photo of a person doing {}.'),
    'imagenet': ('a photo of a {}.', 'a photo of a {}.'),
}


def test_every_dataset_has_a_config_and_every_protocol():
    names = {osp.basename(p)[len('tcp_b2n_'):-3] for p in CONFIGS}
    assert names == {*AUTHORS_TEMPLATES, 'toyworld'}
    for kind in ('b2n', 'dg', 'xd', 'fewshot'):
        assert osp.isfile(osp.join(REPO, 'configs', 'protocols', f'{kind}_tcp_fvgpt.py'))


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_tcp_stage1_recipe(path):
    dataset = osp.basename(path)[len('tcp_b2n_'):-3]
    toy = dataset == 'toyworld'
    cfg = Config.fromfile(path)
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.weight_decay, tuple(optim.betas), optim.eps) == \
        ('Adam', 0.002, 5e-4, (0.9, 0.999), 1e-3)
    assert cfg.train_cfg.max_epochs == (25 if dataset in ('imagenet', 'sun397') else 50)
    assert cfg.train_dataloader.batch_size == 32
    pipeline = cfg.train_dataloader.dataset.pipeline
    crop = [t for t in pipeline if t.type == 'PairedRandomResizedCrop']
    assert len(crop) == 1 and tuple(crop[0].crop_ratio_range) == ((0.5, 1.0) if toy else
                                                                  (0.08, 1.0))
    assert 'PairedRandomFlip' in [t.type for t in pipeline]
    model = cfg.model
    learner = model.prompt_learner
    assert (model.type, model.kg_weight, learner.type, learner.n_ctx, learner.ctx_init) == \
        ('TCP', 8.0, 'TCPPromptLearner', 4, None)
    assert learner.class_token_block == (2 if toy else 8)
    if toy:
        assert learner.prompt_template == '{}.' and model.knowledge_template is None
        return
    prompt, hand = AUTHORS_TEMPLATES[dataset]
    # the context takes the prompt's first 4 words; the rest are the template's
    assert learner.prompt_template == prompt.split(' ', 4)[4]
    # the hand prompt is the authors' table's: set where it differs from the dataset's template
    dataset_template = get_coop_meta(dataset).template
    assert (model.knowledge_template or dataset_template) == hand
    assert model.knowledge_template is None or model.knowledge_template != dataset_template
