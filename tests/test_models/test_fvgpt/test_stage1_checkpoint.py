"""FVG-PT on tiny CLIP backbones: the stage-1 checkpoint and its errors, the stage-2 checkpoint,
CoOp and zero-shot CLIP as backbones."""
import json
import os
import os.path as osp

import pytest
import torch
from mmengine.optim import OptimWrapper
from mmengine.runner import load_checkpoint

from fvgpt.models.fvgpt import FVGPT, Stage1CheckpointError
from fvgpt.models.prompt_learners.coop_prompt_learner import decode_extra_state
from fvgpt.registry import MODELS
from fvgpt.testing import tiny_clip_cfg, tiny_coop_cfg
from fvgpt.testing.fvgpt_helpers import BASE, NEW, make_batch

STAGE1_CONFIG = 'configs/coop/coop_b2n_toy.py'


@pytest.fixture
def stage1_ckpt(tmp_path):
    """A stage-1 CoOp checkpoint as the Runner writes it (state_dict + meta.dataset_meta)."""

    def write(classes=BASE, n_ctx=4, name='epoch_1.pth'):
        torch.manual_seed(0)
        coop = MODELS.build(tiny_coop_cfg(n_ctx=n_ctx))
        coop.set_class_list(classes, ['a photo of a {}.'], 'base')
        work_dir = tmp_path / 'stage1'
        work_dir.mkdir(exist_ok=True)
        path = str(work_dir / name)
        torch.save(
            dict(
                meta=dict(dataset_meta=dict(classes=tuple(classes), subsample='base')),
                state_dict=coop.state_dict()), path)
        (work_dir / 'last_checkpoint').write_text(path)
        return path, coop.prompt_learner.ctx.detach().clone()

    return write


def fvgpt(path, **kwargs):
    torch.manual_seed(0)  # the tiny CLIP's random weights of stage 1 (checked by their hash)
    model = FVGPT(backbone=tiny_coop_cfg(**kwargs), backbone_ckpt=path, stage1_config=STAGE1_CONFIG)
    model.set_class_list(BASE, ['a photo of a {}.'], 'base')
    return model


def test_loads_stage1_context_and_classes(stage1_ckpt):
    path, ctx = stage1_ckpt()
    for where in (path, osp.dirname(path)):  # the file, or the work dir's last_checkpoint
        model = fvgpt(where)
        assert torch.equal(model.backbone.prompt_learner.ctx, ctx)
        assert model.base_classnames == BASE
    assert model.base_head.image_adapter.down.in_features == model.backbone.clip.embed_dim


def test_work_dir_of_a_best_val_stage1_gives_its_best_epoch(stage1_ckpt, tmp_path):
    """A stage 1 that selected its best validation epoch names it in its last checkpoint's
    message hub (mmengine's CheckpointHook, save_best): the work dir resolves to that one."""
    best, best_ctx = stage1_ckpt(name='best_accuracy_top1_epoch_2.pth')
    last, _ = stage1_ckpt(name='epoch_5.pth')  # the same seed: told apart by the shift below
    saved = torch.load(last, weights_only=False)
    saved['state_dict']['prompt_learner.ctx'] = saved['state_dict']['prompt_learner.ctx'] + 1
    saved['message_hub'] = dict(runtime_info=dict(best_ckpt=best, best_score=60.0))
    torch.save(saved, last)
    assert torch.equal(fvgpt(osp.dirname(last)).backbone.prompt_learner.ctx, best_ctx)
    assert torch.equal(fvgpt(last).backbone.prompt_learner.ctx, best_ctx + 1)  # a file: itself


def expect_command(excinfo, work_dir):
    assert f'python tools/train.py {STAGE1_CONFIG} --work-dir {work_dir}' in str(excinfo.value)


def test_missing_checkpoint_names_the_stage1_command(tmp_path):
    missing = str(tmp_path / 'coop' / 'epoch_10.pth')
    with pytest.raises(Stage1CheckpointError, match='not found') as excinfo:
        fvgpt(missing)
    expect_command(excinfo, str(tmp_path / 'coop'))
    with pytest.raises(Stage1CheckpointError, match='last_checkpoint') as excinfo:
        fvgpt(str(tmp_path))
    expect_command(excinfo, str(tmp_path))


def test_other_recipe_or_clip_fails(stage1_ckpt, tmp_path):
    path, _ = stage1_ckpt(n_ctx=2)
    with pytest.raises(Stage1CheckpointError, match='another backbone recipe') as excinfo:
        fvgpt(path)  # the stage-2 config builds n_ctx=4
    expect_command(excinfo, osp.dirname(path))
    message = str(excinfo.value)  # both recipes, and what differs
    assert 'checkpoint: {"backbone": "CoOp"' in message and '"n_ctx": 2' in message
    assert 'config:     {"backbone": "CoOp"' in message and '"n_ctx": 4' in message
    assert 'prompt_learner.n_ctx: checkpoint 2, config 4' in message
    # a checkpoint of one backbone given to another backbone's config
    with pytest.raises(
            Stage1CheckpointError, match="backbone: checkpoint 'CoOp', config "
            "'ZeroShotCLIP'") as excinfo:
        FVGPT(
            backbone=dict(type='ZeroShotCLIP', clip=tiny_clip_cfg()),
            backbone_ckpt=path,
            stage1_config=STAGE1_CONFIG)
    expect_command(excinfo, osp.dirname(path))
    # a checkpoint without a recipe (not written by an fvgpt backbone)
    state = torch.load(path, weights_only=True)
    del state['state_dict']['_extra_state']
    bare = str(tmp_path / 'bare.pth')
    torch.save(state, bare)
    with pytest.raises(Stage1CheckpointError, match='no backbone recipe'):
        fvgpt(bare, n_ctx=2)
    state = torch.load(path, weights_only=True)
    extra = decode_extra_state(state['state_dict']['prompt_learner._extra_state'])
    extra['clip_model'] = 'ViT-B-16'
    state['state_dict']['prompt_learner._extra_state'] = torch.tensor(
        list(json.dumps(extra).encode()), dtype=torch.uint8)
    torch.save(state, path)
    with pytest.raises(Stage1CheckpointError, match='clip_model'):
        fvgpt(path, n_ctx=2)
    junk = str(tmp_path / 'junk.pth')
    torch.save(dict(weights=torch.zeros(2)), junk)
    with pytest.raises(Stage1CheckpointError, match='not an mmengine checkpoint'):
        fvgpt(junk)


def test_other_classes_fail_at_the_first_step(stage1_ckpt):
    path, _ = stage1_ckpt(classes=NEW)
    model = fvgpt(path)
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(Stage1CheckpointError, match='other classes') as excinfo:
        model.train_step(make_batch(size=32), wrapper)
    expect_command(excinfo, osp.dirname(path))


def test_train_step_keeps_coop_and_clip_bit_identical(stage1_ckpt, tmp_path):
    path, _ = stage1_ckpt()
    model = fvgpt(path)
    frozen = {k: v.detach().clone() for k, v in model.backbone.named_parameters()}
    frozen.update({k: v.clone() for k, v in model.backbone.named_buffers()})
    wrapper = OptimWrapper(
        torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4))
    calls = []
    encode = model.backbone.clip.encode_text_embeddings
    model.backbone.clip.encode_text_embeddings = lambda *a, **k: calls.append(1) or encode(*a, **k)
    for seed in range(2):
        log = model.train_step(make_batch(size=32, seed=seed), wrapper)
        assert torch.isfinite(log['loss'])
    assert len(calls) == 2  # the tuned prompts and the hand template, once each
    del model.backbone.clip.encode_text_embeddings
    for name, value in list(model.backbone.named_parameters()) + list(
            model.backbone.named_buffers()):
        assert torch.equal(value, frozen[name]), name
    # The stage-2 checkpoint: the heads only; loads strictly into a fresh stage-2 model.
    state = model.state_dict()
    assert not [k for k in state if k.startswith(('backbone.', 'clip.'))]
    ckpt = str(tmp_path / 'stage2.pth')
    torch.save(dict(state_dict=state, meta=dict()), ckpt)
    fresh = fvgpt(path)
    load_checkpoint(fresh, ckpt, strict=True)
    for key, value in fresh.state_dict().items():
        if key != '_extra_state':
            assert torch.equal(value, state[key]), key
    fresh.eval()
    new = fresh.test_step(make_batch(size=32, with_fg=False))
    assert new[0].branch == 'base'
    os.remove(ckpt)


def test_zero_shot_clip_backbone_needs_no_stage1():
    """Any BasePromptClassifier is a backbone: zero-shot CLIP has nothing tuned to load."""
    model = FVGPT(backbone=dict(type='ZeroShotCLIP', clip=tiny_clip_cfg()))
    model.set_class_list(BASE, ['a photo of a {}.'], 'base')
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    assert torch.isfinite(model.train_step(make_batch(size=32), wrapper)['loss'])
    model.set_class_list(NEW, ['a photo of a {}.'], 'new')
    (sample, *_) = model.test_step(make_batch(size=32, with_fg=False))
    # zero-shot CLIP's own prompt is the hand template: z_full = z_clip, so z_pc = z_full
    assert torch.allclose(sample.logits_full, sample.logits_clip, atol=1e-4)
    assert torch.allclose(sample.logits_pc, sample.logits_full, atol=1e-4)
