"""The FVG-PT classifier on a fake backbone: frozen parts, caching, branches, checkpoints."""
import copy
import json

import pytest
import torch
from mmengine.optim import OptimWrapper

from fvgpt.models.fvgpt import FVGPT
from fvgpt.testing.fvgpt_helpers import BASE, NEW, make_batch


def build(backbone, **kwargs):
    model = FVGPT(backbone=backbone, **kwargs)
    model.set_class_list(BASE, ['a photo of a {}.'], 'base')
    return model


def optim(model):
    return OptimWrapper(
        torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4))


def test_loss_dict_and_parse_losses(fake_backbone):
    model = build(fake_backbone)
    data = model.data_preprocessor(make_batch(), True)
    assert data['fg_inputs'].shape == data['inputs'].shape
    losses = model(**data, mode='loss')
    assert {'loss_ce', 'loss_dist', 'loss_gate', 'loss_new', 'gate_r', 'gate_b'} <= set(losses)
    total, log_vars = model.parse_losses(losses)
    expected = sum(v for k, v in losses.items() if 'loss' in k)
    assert torch.allclose(total, expected)
    assert 'gate_r' in log_vars and 'gate_b' in log_vars


def test_only_heads_train_and_frozen_parts_stay_bit_identical(fake_backbone):
    model = build(fake_backbone)
    frozen = copy.deepcopy(model.backbone.state_dict(keep_vars=False))
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(n.startswith(('base_head.', 'new_head.')) for n in trainable)
    before = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
    wrapper = optim(model)
    for _ in range(2):
        model.train_step(make_batch(), wrapper)
    for name, value in model.backbone.state_dict().items():
        assert torch.equal(value, frozen[name]), name
    moved = [
        n for n, p in model.named_parameters() if p.requires_grad and not torch.equal(p, before[n])
    ]
    assert any('adapter' in n for n in moved) and any('gate' in n for n in moved)
    assert not model.backbone.training
    # gradients reach every adapter and gate parameter, and nothing else
    data = model.data_preprocessor(make_batch(), True)
    sum(v for k, v in model(**data, mode='loss').items() if 'loss' in k).backward()
    for name, param in model.named_parameters():
        assert (param.grad is not None) == param.requires_grad, name


def test_image_encoder_runs_once_per_batch_on_x_and_x_fg(fake_backbone):
    model = build(fake_backbone)
    model.train_step(make_batch(num=4), optim(model))
    # one pass of 2B images (x and x_fg together); CoOp-like: CLIP's features are reused
    assert model.backbone.clip.image_calls == [8]


def test_text_encoders_run_once_per_class_list(fake_backbone):
    model = build(fake_backbone)
    wrapper = optim(model)
    for seed in range(3):
        model.train_step(make_batch(seed=seed), wrapper)
    assert model.backbone.text_calls == 1  # tuned prompt, base classes
    assert model.backbone.clip.text_calls == 1  # hand template, base classes
    model.set_class_list(NEW, ['a photo of a {}.'], 'new')
    for _ in range(2):
        model.test_step(make_batch(with_fg=False))
    model.set_class_list(BASE, ['a photo of a {}.'], 'base')
    model.train_step(make_batch(), wrapper)
    assert model.backbone.text_calls == 2 and model.backbone.clip.text_calls == 2


def count_calls(monkeypatch, obj, name):
    calls = []
    original = getattr(obj, name)

    def wrapped(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapped)
    return calls


def test_base_split_scores_z_fdc_only(fake_backbone, monkeypatch):
    model = build(fake_backbone)
    model.eval()
    base_calls = count_calls(monkeypatch, model.base_head, 'logits')
    new_calls = count_calls(monkeypatch, model.new_head, 'logits')
    samples = model.test_step(make_batch(with_fg=False))
    assert base_calls and not new_calls
    assert model.backbone.clip.text_calls == 0  # no hand-template features for z_fdc
    data = model.data_preprocessor(make_batch(with_fg=False), False)
    z_fdc = model.base_head.logits(
        model.backbone.image_feats(data['inputs'])[:, 0], model.backbone.text_feats(BASE))
    for i, sample in enumerate(samples):
        assert sample.branch == 'base'
        assert torch.allclose(sample.logits_fdc, z_fdc[i], atol=1e-5)
        assert torch.allclose(sample.pred_score, z_fdc[i].softmax(-1), atol=1e-5)
        assert 'logits_pc' not in sample


def test_new_split_scores_z_pc_only(fake_backbone, monkeypatch):
    model = build(fake_backbone)
    model.eval()
    model.set_class_list(NEW, ['a photo of a {}.'], 'new')
    base_calls = count_calls(monkeypatch, model.base_head, 'logits')
    new_calls = count_calls(monkeypatch, model.new_head, 'logits')
    samples = model.test_step(make_batch(with_fg=False))
    assert new_calls and not base_calls
    sample = samples[0]
    assert sample.branch == 'new' and sample.pred_score.shape == (len(NEW), )
    b = sample.gate_b
    expected = (1 - b) * sample.logits_full + b * sample.logits_clip
    assert torch.allclose(sample.logits_pc, expected, atol=1e-5)
    assert 'logits_fdc' not in sample


def test_test_mode_never_touches_masks(fake_backbone):
    model = build(fake_backbone)
    model.eval()
    batch = make_batch(with_fg=False)
    data = model.data_preprocessor(batch, False)
    assert set(data) == {'inputs', 'data_samples'}
    assert len(model.test_step(make_batch(with_fg=False))) == 4
    with pytest.raises(ValueError, match='ForegroundView'):
        model.train_step(make_batch(with_fg=False), optim(model))


def test_auto_branch_rules(fake_backbone):
    model = FVGPT(backbone=fake_backbone)
    model.set_class_list(BASE + NEW, ['{}'], 'all')
    with pytest.raises(RuntimeError, match='test_branch'):
        model.scoring_branch()
    model.set_class_list(BASE, ['{}'], None)
    model.train_step(make_batch(), optim(model))  # learns its base classes
    assert model.scoring_branch() == 'base'
    model.set_class_list(BASE + NEW, ['{}'], 'all')
    assert model.scoring_branch() == 'new'
    model.set_class_list(BASE, ['{}'], 'new')
    assert model.scoring_branch() == 'new'
    model.test_branch = 'base'
    assert model.scoring_branch() == 'base'
    with pytest.raises(ValueError, match='test_branch'):
        FVGPT(backbone=fake_backbone, test_branch='both')


def test_training_on_other_classes_fails(fake_backbone):
    model = build(fake_backbone)
    model.train_step(make_batch(), optim(model))
    model.set_class_list(NEW + ['x'], ['{}'], 'base')
    with pytest.raises(ValueError, match='other classes'):
        model.train_step(make_batch(), optim(model))
    model.set_class_list(BASE, ['{}'], 'new')
    with pytest.raises(ValueError, match='never on the new half'):
        model.train_step(make_batch(), optim(model))


def test_checkpoint_holds_heads_only_and_reloads(fake_backbone):
    model = build(fake_backbone)
    model.train_step(make_batch(), optim(model))
    state = model.state_dict()
    assert all(k.startswith(('base_head.', 'new_head.')) or k == '_extra_state' for k in state)
    assert json.loads(bytes(state['_extra_state'].tolist())) == dict(base_classnames=BASE)
    torch.manual_seed(1)
    other = FVGPT(backbone=copy.deepcopy(model.backbone))
    other.load_state_dict(state, strict=True)
    assert other.base_classnames == BASE
    for key, value in other.state_dict().items():
        if key != '_extra_state':
            assert torch.equal(value, state[key])


def test_mismatched_normalization_fails(fake_backbone):
    with pytest.raises(ValueError, match='normalizes'):
        FVGPT(
            backbone=fake_backbone,
            data_preprocessor=dict(
                type='FVGPTDataPreprocessor', mean=[0, 0, 0], std=[1, 1, 1], to_rgb=True))


def test_stage2_checkpoint_of_other_base_classes_fails(fake_backbone):
    model = build(fake_backbone)
    model.train_step(make_batch(), optim(model))
    other = FVGPT(backbone=copy.deepcopy(model.backbone))
    other.base_classnames = NEW + ['x']  # as read from another stage-1 checkpoint
    with pytest.raises(ValueError, match='other base classes'):
        other.load_state_dict(model.state_dict())
