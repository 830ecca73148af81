"""ToyCLIP: the shipped checkpoint loads through open_clip's local-file path and knows the world."""
import os
import os.path as osp

import numpy as np
import pytest
import torch

from fvgpt.toyworld import (TOYCLIP_CHECKPOINT, TOYCLIP_MODEL, PretrainConfig, ToyWorld,
                            caption_matches, images_to_tensor, make_caption,
                            multi_positive_clip_loss,
                            pretrain_toyclip, register_toyclip, vocabulary, zeroshot_report)
from fvgpt.toyworld.pretrain import encode_text_trimmed

os.environ.setdefault('HF_HUB_OFFLINE', '1')
open_clip = pytest.importorskip('open_clip')

#: Zero-shot accuracy the shipped weights must exceed on the fixed test set below (30 classes,
#: chance 3.3 %). Far below what they reach (see checkpoints/toyclip_vit_t8.json), far above
#: what random weights reach (checked below).
MIN_ZEROSHOT_ACC = 30.0


@pytest.fixture(scope='module')
def test_set():
    world = ToyWorld()
    images, labels = world.render_split('test', per_class=4)
    return world, images, labels


@pytest.fixture(scope='module')
def shipped():
    torch.set_num_threads(2)
    register_toyclip()
    return open_clip.create_model(TOYCLIP_MODEL, pretrained=TOYCLIP_CHECKPOINT).eval()


def test_register_is_idempotent():
    assert register_toyclip() == register_toyclip() == TOYCLIP_MODEL
    assert open_clip.list_models().count(TOYCLIP_MODEL) == 1
    tokenizer = open_clip.get_tokenizer(TOYCLIP_MODEL)
    assert tokenizer(['a photo of a red circle.']).shape == (1, 77)


def test_shipped_checkpoint_is_a_small_fp16_state_dict():
    assert osp.getsize(TOYCLIP_CHECKPOINT) <= 15 * 2**20
    state = torch.load(TOYCLIP_CHECKPOINT, map_location='cpu', weights_only=True)
    assert isinstance(state, dict) and 'logit_scale' in state
    assert all(v.dtype == torch.float16 for v in state.values() if v.is_floating_point())
    model = open_clip.create_model(register_toyclip())
    assert set(state) == set(model.state_dict())


def test_shipped_checkpoint_zero_shot(shipped, test_set):
    world, images, labels = test_set
    acc = zeroshot_report(shipped, images, labels, world.classes, world.num_base)
    assert acc['all'] > MIN_ZEROSHOT_ACC, acc
    assert acc['new'] > MIN_ZEROSHOT_ACC, acc


def test_random_weights_stay_below_the_threshold(test_set):
    world, images, labels = test_set
    torch.manual_seed(0)
    model = open_clip.create_model(register_toyclip()).eval()
    acc = zeroshot_report(model, images, labels, world.classes, world.num_base)
    assert acc['all'] < MIN_ZEROSHOT_ACC / 2, acc


def test_multi_positive_loss_is_clip_loss_with_one_positive():
    torch.manual_seed(0)
    img = torch.nn.functional.normalize(torch.randn(6, 8), dim=-1)
    txt = torch.nn.functional.normalize(torch.randn(6, 8), dim=-1)
    scale = torch.tensor(2.0)
    ours = multi_positive_clip_loss(img, txt, scale, torch.eye(6, dtype=torch.bool))
    ref = open_clip.ClipLoss()(img, txt, scale.exp())
    assert torch.allclose(ours, ref, atol=1e-6)


def test_trimmed_text_encoding_equals_open_clips(shipped):
    tokens = open_clip.get_tokenizer(TOYCLIP_MODEL)(
        ['a photo of a red circle.', 'a small blue star on a dotted background.'])
    with torch.no_grad():
        assert torch.allclose(encode_text_trimmed(shipped, tokens), shipped.encode_text(tokens),
                              atol=1e-5)


def test_captions_cover_the_world_and_their_matches():
    world = ToyWorld()
    rng = np.random.default_rng(0)
    attrs = [dict(colour=c, shape=s, texture='grass', size='small')
             for c, s in world.class_words]
    captions = [make_caption(a, rng) for a in attrs for _ in range(20)]
    text = ' '.join(c for c, _ in captions)
    for word in set(world.config.colours) | set(world.config.shapes):
        assert word in text
    assert set(vocabulary(world.config.colours, world.config.shapes)) >= {'striped', 'grass'}
    images = [dict(colour='red', shape='circle', texture='grass', size=''),
              dict(colour='red', shape='star', texture='dotted', size='large')]
    match = caption_matches(images, [{'colour': 'red'}, {'colour': 'red', 'shape': 'star'},
                                     {'texture': 'grass'}, {'size': 'large'}])
    assert match.tolist() == [[True, False, True, False], [True, True, False, True]]


def test_pretraining_runs_and_is_reproducible():
    cfg = PretrainConfig(images_per_class=2, heldout_per_class=1, steps=3, batch_size=16,
                         warmup_steps=1, log_interval=3, eval_interval=3)
    lines = []
    model_a, summary = pretrain_toyclip(cfg, log=lines.append)
    model_b, _ = pretrain_toyclip(cfg, log=lambda _: None)
    assert np.isfinite(summary['final_loss']) and summary['heldout'][-1]['step'] == 3
    assert any('step 3/3' in line for line in lines)
    for (name, a), b in zip(model_a.state_dict().items(), model_b.state_dict().values()):
        assert torch.equal(a, b), name


def test_loads_through_the_fvgpt_clip_wrapper(shipped, test_set):
    clip = pytest.importorskip('fvgpt.models.clip')
    register_toyclip()
    wrapper = clip.OpenCLIP(model_name=TOYCLIP_MODEL, pretrained=TOYCLIP_CHECKPOINT)
    world, images, _ = test_set
    x = images_to_tensor(images[:8], 64)
    with torch.no_grad():
        ref = torch.nn.functional.normalize(shipped.encode_image(x), dim=-1)
        assert torch.allclose(wrapper.encode_image(x), ref, atol=1e-5)
        tokens = wrapper.tokenize([f'a photo of a {c}.' for c in world.classes[:4]])
        ref = torch.nn.functional.normalize(shipped.encode_text(tokens), dim=-1)
        assert torch.allclose(wrapper.encode_text(tokens), ref, atol=1e-5)
