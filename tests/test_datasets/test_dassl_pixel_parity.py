"""Images (and masks) reach CLIP as Dassl makes them, on a real photo.

Dassl (KaiyangZhou/Dassl.pytorch, ``dassl/utils/tools.py`` read_image and
``dassl/data/transforms/transforms.py`` build_transform) decodes with ``Image.open(path)
.convert('RGB')`` and applies torchvision transforms to the PIL image: ``Resize`` / ``CenterCrop`` /
``RandomResizedCrop`` with PIL's antialiased bicubic, then ``ToTensor`` + ``Normalize``. The
authors' FVG-PT loader moves the mask with the same boxes, nearest neighbour. The reference below is
that torchvision code, run on matplotlib's bundled photo (``sample_data/grace_hopper.jpg``) and on
lossless crops / rescalings of it (portrait, landscape, smaller than 224), compared with the
pipelines of the shipped dataset config.
"""
import os.path as osp

import matplotlib
import numpy as np
import pytest
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as TF
from mmengine.config import Config
from mmengine.dataset import Compose
from PIL import Image
from torchvision.transforms import InterpolationMode

from fvgpt.registry import MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PHOTO = osp.join(matplotlib.get_data_path(), 'sample_data', 'grace_hopper.jpg')
DATASET_CONFIG = osp.join(REPO, 'configs/_base_/datasets/coop_b2n.py')
# The authors' INPUT block (JREion/FVG-PT configs/trainers/CoOp/vit_b16_ep10.yaml).
PIXEL_MEAN = [0.48145466, 0.4578275, 0.40821073]
PIXEL_STD = [0.26862954, 0.26130258, 0.27577711]
BICUBIC = InterpolationMode.BICUBIC


@pytest.fixture(scope='module')
def cfg():
    return Config.fromfile(DATASET_CONFIG)


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    """The JPEG itself, and lossless variants of it with other shapes and sizes."""
    folder = tmp_path_factory.mktemp('photos')
    full = Image.open(PHOTO).convert('RGB')  # 512 x 600 (w x h), portrait
    variants = {
        'landscape': full.crop((0, 100, 512, 380)),  # 512 x 280
        'small': full.resize((150, 181), Image.BICUBIC),  # upsampled by the pipeline
        'odd': full.crop((3, 7, 480, 590)),
    }
    paths = [PHOTO]
    for name, image in variants.items():
        path = str(folder / f'{name}.png')
        image.save(path)
        paths.append(path)
    # A foreground mask of each photo (bright pixels), stored as a PNG at the photo's size.
    masks = {}
    for path in paths:
        gray = np.asarray(Image.open(path).convert('L'))
        mask_path = str(folder / (osp.basename(path) + '.mask.png'))
        Image.fromarray(((gray > 110) * 255).astype(np.uint8)).save(mask_path)
        masks[path] = mask_path
    return paths, masks


def pipeline_without_packing(steps):
    return Compose([TRANSFORMS.build(s) for s in steps if 'PackInputs' not in s['type']])


def rgb(results):
    """mmcv's BGR HWC image as RGB."""
    return np.ascontiguousarray(results['img'][..., ::-1])


def dassl_image(path):
    return Image.open(path).convert('RGB')


def dassl_mask(path, mask_path):
    """The authors' mask loading: RGB, resized to the image with nearest, before any transform."""
    image, mask = dassl_image(path), Image.open(mask_path).convert('RGB')
    if mask.size != image.size:
        mask = TF.resize(mask, [image.height, image.width], interpolation=InterpolationMode.NEAREST)
    return mask


def binarize(mask_pil):
    return (np.asarray(mask_pil, dtype=np.float64).mean(-1) / 255 > 0.5).astype(np.uint8)


def assert_same_pixels(got, want, what):
    assert got.shape == want.shape, (what, got.shape, want.shape)
    diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
    # The bar is 0.5 grey levels on average; both sides run the same PIL code, so the
    # images are identical, which is what is checked.
    assert diff.mean() < 0.5 and diff.max() == 0, (
        f'{what}: mean |diff| {diff.mean():.3f}, max {diff.max():.0f}')


def test_test_pipeline_is_torchvision_resize_and_center_crop(cfg, photos):
    pipeline = pipeline_without_packing(cfg.test_pipeline)
    reference = T.Compose([T.Resize(224, interpolation=BICUBIC), T.CenterCrop(224)])
    for path in photos[0]:
        got = rgb(pipeline(dict(img_path=path)))
        assert_same_pixels(got, np.asarray(reference(dassl_image(path))), path)


def test_center_crop_train_pipeline_is_dassl_resize_to_input_size(cfg, photos):
    # Dassl's training builder for ["center_crop", "normalize"]: Resize((224, 224)) only.
    pipeline = pipeline_without_packing(cfg.center_crop_train_pipeline)
    reference = T.Resize((224, 224), interpolation=BICUBIC)
    for path in photos[0]:
        got = rgb(pipeline(dict(img_path=path)))
        assert_same_pixels(got, np.asarray(reference(dassl_image(path))), path)


@pytest.mark.parametrize('name', ['rrc_flip_train_pipeline', 'rrc05_flip_train_pipeline'])
def test_random_resized_crop_with_a_fixed_box_is_torchvision_on_image_and_mask(cfg, photos, name):
    paths, masks = photos
    steps = [s for s in cfg[name] if 'PackInputs' not in s['type']]
    load, crop_cfg, flip_cfg = steps
    load_mask = TRANSFORMS.build(dict(type='LoadForegroundMask'))
    crop = TRANSFORMS.build(crop_cfg)
    flip = TRANSFORMS.build(dict(flip_cfg, prob=1.0))  # flip always, to check the flipped pair
    load = TRANSFORMS.build(load)
    for seed, path in enumerate(paths):
        results = load_mask(load(dict(img_path=path, mask_path=masks[path])))
        np.random.seed(seed)
        top, left, height, width = crop.rand_crop_params(results['img'])
        np.random.seed(seed)  # the transform draws the same box
        results = flip(crop(results))
        image, mask = dassl_image(path), dassl_mask(path, masks[path])
        want_img = TF.hflip(TF.resized_crop(image, top, left, height, width, [224, 224], BICUBIC))
        want_mask = TF.hflip(
            TF.resized_crop(mask, top, left, height, width, [224, 224], InterpolationMode.NEAREST))
        assert_same_pixels(rgb(results), np.asarray(want_img), f'{name} {path}')
        assert np.array_equal(results['gt_fg_mask'], binarize(want_mask)), path
        assert 0.05 < results['gt_fg_mask'].mean() < 0.95  # a mask with both parts was compared


def test_random_resized_crop_fallback_box_is_torchvisions(cfg):
    # With no acceptable random box, both fall back to the same central crop of the image,
    # clamped to the aspect ratio range.
    crop = TRANSFORMS.build(dict(cfg.rrc_flip_train_pipeline[1], crop_ratio_range=(2.0, 3.0)))
    for height, width in [(600, 60), (60, 600), (300, 320)]:
        image = Image.new('RGB', (width, height))
        want = T.RandomResizedCrop.get_params(image, scale=(2.0, 3.0), ratio=(3 / 4, 4 / 3))
        got = crop.rand_crop_params(np.zeros((height, width, 3), np.uint8))
        assert tuple(got) == tuple(want), (height, width, got, want)


def test_normalized_tensor_is_torchvisions_to_tensor_and_normalize(cfg, photos):
    """The whole path, packing and the model's data preprocessor included (BGR -> RGB)."""
    from fvgpt.models.classifiers.base_prompt_classifier import clip_data_preprocessor
    pipeline = Compose([TRANSFORMS.build(s) for s in cfg.test_pipeline])
    preprocessor = MODELS.build(clip_data_preprocessor())
    reference = T.Compose([
        T.Resize(224, interpolation=BICUBIC),
        T.CenterCrop(224),
        T.ToTensor(),
        T.Normalize(PIXEL_MEAN, PIXEL_STD)
    ])
    paths = photos[0]
    packed = [pipeline(dict(img_path=p)) for p in paths]
    batch = preprocessor(
        dict(
            inputs=[p['inputs'] for p in packed], data_samples=[p['data_samples'] for p in packed]))
    want = torch.stack([reference(dassl_image(p)) for p in paths])
    assert batch['inputs'].shape == want.shape
    torch.testing.assert_close(batch['inputs'], want, atol=1e-5, rtol=0)


def test_loader_does_not_apply_exif_rotation(cfg, tmp_path):
    # Dassl's Image.open(path).convert('RGB') ignores the EXIF orientation tag.
    image = Image.open(PHOTO).convert('RGB').crop((0, 0, 300, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    path = str(tmp_path / 'rotated.jpg')
    image.save(path, exif=exif.tobytes(), quality=95)
    load = TRANSFORMS.build(cfg.test_pipeline[0])
    got = rgb(load(dict(img_path=path)))
    assert_same_pixels(got, np.asarray(dassl_image(path)), 'EXIF-tagged JPEG')
    assert got.shape[:2] == (200, 300)


def test_crop_foreground_view_resizes_with_pil_bicubic():
    from fvgpt.datasets.transforms import ForegroundView
    image = Image.open(PHOTO).convert('RGB')
    mask = np.zeros((image.height, image.width), np.uint8)
    mask[100:300, 150:330] = 1
    view = ForegroundView('crop')
    bgr = np.ascontiguousarray(np.asarray(image)[..., ::-1])
    got = view(dict(img=bgr, gt_fg_mask=mask))['img_fg']
    x0, y0, x1, y1 = view.box(mask.astype(bool), 0.0)
    want = image.crop((x0, y0, x1, y1)).resize(image.size, Image.BICUBIC)
    assert_same_pixels(rgb(dict(img=got)), np.asarray(want), 'crop view')
