"""Each shipped CoOp / FVG-PT-on-CoOp config is the recipe of the yaml its header names.

The yaml fields are restated below with the yaml's path; the transforms they give are Dassl's
mapping of the TRANSFORMS list (KaiyangZhou/Dassl.pytorch ``dassl/data/transforms/transforms.py``,
``_build_transform_train`` / ``_build_transform_test``), restated as plain torchvision code. Each
config's pipelines are compared with it step by step (what each step does to a real photo, or the
parameters of its random draw), so a config whose pipeline drifts from its yaml fails.
"""
import glob
import os.path as osp
from typing import List

import matplotlib
import numpy as np
import pytest
import torchvision.transforms as T
from mmengine.config import Config
from PIL import Image
from torchvision.transforms import InterpolationMode

from fvgpt.registry import TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PHOTO = osp.join(matplotlib.get_data_path(), 'sample_data', 'grace_hopper.jpg')
DATASETS = [
    'caltech101', 'dtd', 'eurosat', 'fgvc_aircraft', 'food101', 'imagenet', 'oxford_flowers',
    'oxford_pets', 'stanford_cars', 'sun397', 'ucf101'
]

# The yaml fields each recipe states (INPUT.SIZE is (224, 224) and INTERPOLATION bicubic in all).
CENTER_CROP = ['center_crop', 'normalize']
RRC_FLIP = ['random_resized_crop', 'random_flip', 'normalize']
YAMLS = {
    # JREion/FVG-PT configs/trainers/CoOp/vit_b16_ep10.yaml (+ run_tuning.py: N_CTX 4)
    'coop_b2n':
    dict(
        transforms=CENTER_CROP,
        lr=0.0035,
        epochs=10,
        batch=4,
        clip='ViT-B-16',
        n_ctx=4,
        ctx_init=None),
    # JREion/FVG-PT configs/trainers/CoOp/vit_b16_ep20.yaml
    'coop_ep20_b2n':
    dict(
        transforms=CENTER_CROP,
        lr=0.002,
        epochs=20,
        batch=4,
        clip='ViT-B-16',
        n_ctx=4,
        ctx_init=None),
    # JREion/FVG-PT configs/trainers/CoOp/vit_l14_ep10.yaml
    'coop_vit-l14_b2n':
    dict(
        transforms=CENTER_CROP,
        lr=0.0035,
        epochs=10,
        batch=4,
        clip='ViT-L-14',
        n_ctx=4,
        ctx_init=None),
    # KaiyangZhou/CoOp configs/trainers/CoOp/vit_b16_ctxv1.yaml (vit_b16_ep50_ctxv1.yaml on
    # ImageNet: 50 epochs)
    'coop_cocoop-paper_b2n':
    dict(
        transforms=RRC_FLIP,
        lr=0.002,
        epochs=200,
        batch=32,
        clip='ViT-B-16',
        n_ctx=4,
        ctx_init='a photo of a'),
}
# FVG-PT's stage 2: JREion/FVG-PT configs/trainers/FVGPT_CoOp/<same yaml name>.yaml, whose OPTIM
# and DATALOADER blocks equal stage 1's and whose TRANSFORMS is RRC_FLIP.
FVGPT_YAMLS = {
    'coop_b2n': 'coop_b2n',
    'coop_ep20_b2n': 'coop_ep20_b2n',
    'coop_vit-l14_b2n': 'coop_vit-l14_b2n'
}


def dassl_train_transforms(choices: List[str], size=(224, 224), rrcrop_scale=(0.08, 1.0)):
    """Dassl's training transforms before ToTensor, for the choices these recipes use."""
    if any(
            c not in ('center_crop', 'random_resized_crop', 'random_flip', 'normalize')
            for c in choices):
        raise NotImplementedError(choices)
    steps = []
    if 'random_crop' not in choices and 'random_resized_crop' not in choices:
        steps.append(T.Resize(size, interpolation=InterpolationMode.BICUBIC))
    if 'random_resized_crop' in choices:
        steps.append(
            T.RandomResizedCrop(size, scale=rrcrop_scale, interpolation=InterpolationMode.BICUBIC))
    if 'random_flip' in choices:
        steps.append(T.RandomHorizontalFlip())
    return steps  # 'center_crop' adds nothing in training; 'normalize' is the preprocessor's


def dassl_test_transforms(size=(224, 224)):
    return [T.Resize(max(size), interpolation=InterpolationMode.BICUBIC), T.CenterCrop(size)]


def geometric_steps(pipeline):
    skip = ('LoadImageFromFile', 'LoadForegroundMask', 'ForegroundView', 'mmpretrain.PackInputs')
    return [s for s in pipeline if s['type'] not in skip]


def assert_step_is(step: dict, ref, photo: Image.Image, what: str):
    """``step`` (a config dict) does what the torchvision transform ``ref`` does."""
    built = TRANSFORMS.build(step)
    bgr = np.ascontiguousarray(np.asarray(photo)[..., ::-1])
    if isinstance(ref, T.RandomResizedCrop):
        assert step['type'] == 'PairedRandomResizedCrop', what
        assert tuple(built.scale) == tuple(ref.size)[::-1], what
        assert np.allclose(built.crop_ratio_range, ref.scale), (what, built.crop_ratio_range)
        assert np.allclose(built.aspect_ratio_range, ref.ratio), (what, built.aspect_ratio_range)
        assert built.interpolation == 'bicubic' and built.backend == 'pillow', what
        np.random.seed(0)
        top, left, height, width = built.rand_crop_params(bgr)
        np.random.seed(0)
        got = built(dict(img=bgr))['img']
        want = T.functional.resized_crop(photo, top, left, height, width, list(ref.size),
                                         ref.interpolation)
    elif isinstance(ref, T.RandomHorizontalFlip):
        assert step['type'] == 'PairedRandomFlip', what
        assert built.prob == ref.p and step.get('direction', 'horizontal') == 'horizontal', what
        got = TRANSFORMS.build(dict(step, prob=1.0))(dict(img=bgr))['img']
        want = T.functional.hflip(photo)
    else:  # deterministic steps: the same pixels
        got = built(dict(img=bgr, img_shape=bgr.shape[:2], ori_shape=bgr.shape[:2]))['img']
        want = ref(photo)
    assert np.array_equal(got[..., ::-1], np.asarray(want)), what


def assert_pipeline_is(pipeline, refs, what):
    photo = Image.open(PHOTO).convert('RGB')
    steps = geometric_steps(pipeline)
    assert len(steps) == len(refs), (what, [s['type'] for s in steps], refs)
    for step, ref in zip(steps, refs):
        assert_step_is(step, ref, photo, what)
    (load, ) = [s for s in pipeline if s['type'] == 'LoadImageFromFile']
    assert load.get('imdecode_backend') == 'pillow', what
    assert load.get('color_type') == 'color_ignore_orientation', what


def recipe_configs():
    for recipe in YAMLS:
        for dataset in DATASETS:
            yield f'configs/coop/{recipe.replace("_b2n", "")}_b2n_{dataset}.py', recipe


@pytest.mark.parametrize('path,recipe', list(recipe_configs()), ids=lambda v: str(v))
def test_coop_config_is_its_yaml(path, recipe):
    cfg = Config.fromfile(osp.join(REPO, path))
    yaml = YAMLS[recipe]
    epochs = 50 if recipe == 'coop_cocoop-paper_b2n' and 'imagenet' in path else yaml['epochs']
    assert cfg.optim_wrapper.optimizer.type == 'SGD' and \
        cfg.optim_wrapper.optimizer.lr == yaml['lr'], path
    assert cfg.train_cfg.max_epochs == epochs, path
    assert cfg.train_dataloader.batch_size == yaml['batch'], path
    assert cfg.model.clip.model_name == yaml['clip'] and cfg.model.clip.pretrained == 'openai'
    learner = cfg.model.prompt_learner
    assert learner.n_ctx == yaml['n_ctx'] and learner.ctx_init == yaml['ctx_init'], path
    assert not learner.class_specific and learner.class_token_position == 'end', path
    assert_pipeline_is(cfg.train_dataloader.dataset.pipeline,
                       dassl_train_transforms(yaml['transforms']), f'{path} train')
    for split in ('val_dataloader', 'test_dataloader'):
        assert_pipeline_is(cfg[split].dataset.pipeline, dassl_test_transforms(), f'{path} {split}')


@pytest.mark.parametrize('recipe', list(FVGPT_YAMLS))
def test_fvgpt_stage2_config_is_its_yaml(recipe):
    for dataset in DATASETS:
        path = f'configs/fvgpt/{recipe.replace("_b2n", "")}_b2n_{dataset}.py'
        cfg = Config.fromfile(osp.join(REPO, path))
        yaml = YAMLS[FVGPT_YAMLS[recipe]]
        assert cfg.optim_wrapper.optimizer.lr == yaml['lr'], path
        assert cfg.train_cfg.max_epochs == yaml['epochs'], path
        assert cfg.train_dataloader.batch_size == yaml['batch'], path
        assert cfg.model.backbone.clip.model_name == yaml['clip'], path
        stage1 = f'configs/coop/{recipe.replace("_b2n", "")}_b2n_{dataset}.py'
        assert cfg.model.stage1_config == stage1, path
        assert_pipeline_is(cfg.train_dataloader.dataset.pipeline, dassl_train_transforms(RRC_FLIP),
                           f'{path} train')
        assert_pipeline_is(cfg.test_dataloader.dataset.pipeline, dassl_test_transforms(),
                           f'{path} test')


def test_zero_shot_clip_tests_with_dassls_test_transforms():
    for dataset in DATASETS:
        cfg = Config.fromfile(osp.join(REPO, f'configs/zsclip/zsclip_b2n_{dataset}.py'))
        assert_pipeline_is(cfg.test_dataloader.dataset.pipeline, dassl_test_transforms(), dataset)


def test_named_fragments_are_their_dassl_lists():
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/coop_b2n.py'))
    assert_pipeline_is(cfg.center_crop_train_pipeline, dassl_train_transforms(CENTER_CROP), 'cc')
    assert_pipeline_is(cfg.rrc_flip_train_pipeline, dassl_train_transforms(RRC_FLIP), 'rrc')
    # MMRL's yaml: RRCROP_SCALE (0.5, 1)
    assert_pipeline_is(cfg.rrc05_flip_train_pipeline,
                       dassl_train_transforms(RRC_FLIP, rrcrop_scale=(0.5, 1.0)), 'rrc05')
    assert_pipeline_is(cfg.test_pipeline, dassl_test_transforms(), 'test')


def shipped_image_pipelines():
    for path in sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)):
        if '/protocols/' in path or '/segmenters/' in path:
            continue
        yield path


@pytest.mark.parametrize(
    'path', list(shipped_image_pipelines()), ids=lambda p: osp.relpath(p, REPO))
def test_every_shipped_pipeline_decodes_and_resizes_with_pil(path):
    """Images reach CLIP as Dassl makes them in every shipped config, toy world included."""
    cfg = Config.fromfile(path)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if not loader:
            continue
        for step in loader.dataset.pipeline:
            where = f'{osp.relpath(path, REPO)} {key} {step["type"]}'
            if step['type'] == 'LoadImageFromFile':
                assert step.get('imdecode_backend') == 'pillow', where
                assert step.get('color_type') == 'color_ignore_orientation', where
            if 'interpolation' in step or 'Resize' in step['type'] or 'Crop' in step['type']:
                if step['type'] != 'PairedCenterCrop':
                    assert step.get('backend') == 'pillow', where
                    assert step.get('interpolation') == 'bicubic', where
