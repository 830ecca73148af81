import copy
import json

import open_clip
import pytest
import torch
from mmengine.runner import Runner

from fvgpt.models.prompt_learners.coop_prompt_learner import decode_extra_state
from fvgpt.registry import MODELS
from fvgpt.testing import TINY_CLIP_NAME, tiny_clip_cfg, tiny_coop_cfg, write_class_folders
from fvgpt.toyworld import TOYCLIP_CHECKPOINT, TOYCLIP_MODEL
from fvgpt.utils import load_checkpoint_file


def runner_cfg(work_dir, data_root, model, epochs=6, lr=0.05, size=32):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='mmpretrain.ResizeEdge', scale=size, edge='short', interpolation='bicubic'),
        dict(type='mmpretrain.CenterCrop', crop_size=size),
        dict(type='mmpretrain.PackInputs'),
    ]
    loader = dict(
        batch_size=8,
        num_workers=0,
        dataset=dict(type='mmpretrain.CustomDataset', data_root=data_root, pipeline=pipeline),
        sampler=dict(type='DefaultSampler', shuffle=True))
    return dict(
        model=model,
        work_dir=str(work_dir),
        train_dataloader=loader,
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr, momentum=0.9)),
        custom_hooks=[dict(type='ClassListHook'),
                      dict(type='WeightsOnlyCheckpointHook')],
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(type='CheckpointHook', interval=epochs)),
        default_scope='fvgpt',
        randomness=dict(seed=0),
        log_level='WARNING',
    )


def test_coop_trains_through_runner_only_context_changes(tmp_path):
    # ToyCLIP (the small CLIP pretrained on the toy world, shipped in checkpoints/) knows colour
    # words; a random tiny CLIP gives CoOp nothing to learn from.
    data_root = write_class_folders(str(tmp_path / 'data'), per_class=8, size=64)
    model = tiny_coop_cfg(n_ctx=4)
    model['clip'] = dict(type='OpenCLIP', model_name=TOYCLIP_MODEL, pretrained=TOYCLIP_CHECKPOINT)
    cfg = runner_cfg(tmp_path / 'work', data_root, model, size=64)
    runner = Runner.from_cfg(copy.deepcopy(cfg))
    model = runner.model
    before = {k: v.clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}
    clip_before = {k: v.clone() for k, v in model.clip.model.state_dict().items()}
    losses = []
    orig = model.loss

    def recording_loss(*args, **kwargs):
        out = orig(*args, **kwargs)
        losses.append(float(out['loss_ce']))
        return out

    model.loss = recording_loss
    runner.train()
    assert model.classnames == ['blue', 'green', 'red', 'yellow']
    # the loss falls: mean of the last epoch well below the first
    per_epoch = len(losses) // 6
    first, last = losses[:per_epoch], losses[-per_epoch:]
    assert sum(last) / len(last) < 0.8 * sum(first) / len(first)
    # only the context changed: everything in the state dict but ctx, and all of CLIP
    after = model.state_dict()
    assert set(after) == {'prompt_learner.ctx', 'prompt_learner._extra_state', '_extra_state'}
    assert not torch.equal(after['prompt_learner.ctx'], before['prompt_learner.ctx'])
    for k, v in model.clip.model.state_dict().items():
        assert torch.equal(v, clip_before[k]), k
    assert [n for n, p in model.named_parameters() if p.requires_grad] == ['prompt_learner.ctx']


def test_checkpoint_round_trip_and_mismatch(tmp_path):
    data_root = write_class_folders(str(tmp_path / 'data'), per_class=4)
    # frozen CLIP weights are not in CoOp checkpoints: both models load them from one file
    clip_file = str(tmp_path / 'tiny_clip.pt')
    torch.save(open_clip.create_model(TINY_CLIP_NAME).state_dict(), clip_file)

    def coop_cfg(**kw):
        cfg = tiny_coop_cfg(**kw)
        cfg['clip'] = tiny_clip_cfg(pretrained=clip_file)
        return cfg

    cfg = runner_cfg(tmp_path / 'work', data_root, coop_cfg(n_ctx=4), epochs=1)
    runner = Runner.from_cfg(copy.deepcopy(cfg))
    runner.train()
    ckpt_path = str(tmp_path / 'work' / 'epoch_1.pth')
    ckpt = load_checkpoint_file(ckpt_path)  # torch.load(weights_only=True)
    assert set(ckpt['state_dict']) == {
        'prompt_learner.ctx', 'prompt_learner._extra_state', '_extra_state'
    }
    extra = decode_extra_state(ckpt['state_dict']['prompt_learner._extra_state'])
    assert extra['classnames'] == ['blue', 'green', 'red', 'yellow']
    assert extra['n_ctx'] == 4 and extra['clip_model'] == 'fvgpt-tiny-vit'

    torch.manual_seed(123)
    fresh = MODELS.build(coop_cfg(n_ctx=4))
    fresh.load_state_dict(ckpt['state_dict'], strict=True)
    torch.testing.assert_close(fresh.prompt_learner.ctx, runner.model.prompt_learner.ctx)
    assert fresh.prompt_learner.fit_classnames == ['blue', 'green', 'red', 'yellow']
    images = torch.randn(2, 3, 32, 32)
    for m in (fresh, runner.model):
        m.eval()
        m.set_class_list(['blue', 'green', 'red', 'yellow'])
    torch.testing.assert_close(fresh(images), runner.model(images))

    other = MODELS.build(coop_cfg(n_ctx=8))
    # the model's recipe (class, CLIP, learner) is checked before any weight is copied
    with pytest.raises(
            ValueError,
            match=r'does not fit this config: it was written by .*'
            r'"backbone": "CoOp".*prompt_learner\.n_ctx: checkpoint 4, config 8'):
        other.load_state_dict(ckpt['state_dict'])
    csc = MODELS.build(coop_cfg(n_ctx=4, class_specific=True, num_classes=4))
    with pytest.raises(
            ValueError, match='prompt_learner.class_specific: checkpoint False, '
            'config True'):
        csc.load_state_dict(ckpt['state_dict'])
    foreign = dict(ckpt['state_dict'])
    foreign['prompt_learner._extra_state'] = torch.tensor(
        list(json.dumps(dict(extra, clip_model='ViT-B-16')).encode()), dtype=torch.uint8)
    with pytest.raises(
            ValueError, match="clip_model: checkpoint 'ViT-B-16', config "
            "'fvgpt-tiny-vit'"):
        fresh.load_state_dict(foreign)


def test_eval_text_features_cached_until_invalidated(tmp_path):
    """The cache is dropped explicitly: on the train/eval switch that mmengine's loops make
    between optimizer steps and validation, on load_state_dict and on a new class list."""
    model = MODELS.build(tiny_coop_cfg(n_ctx=4))
    model.set_class_list(['a', 'b'])
    model.eval()
    calls = []
    orig = model.clip.encode_text_embeddings

    def counting(*a, **k):
        calls.append(1)
        return orig(*a, **k)

    model.clip.encode_text_embeddings = counting
    with torch.no_grad():
        first = model.text_feats()
        model.text_feats()
        assert len(calls) == 1
        model.train()
        model.prompt_learner.ctx.add_(0.1)  # what an optimizer step does
        model.eval()  # what the val loop does next
        second = model.text_feats()
        assert len(calls) == 2 and not torch.allclose(first, second)
        state = {k: v.clone() for k, v in model.state_dict().items()}
        state['prompt_learner.ctx'] += 0.1
        model.load_state_dict(state, strict=False)
        third = model.text_feats()
        assert len(calls) == 3 and not torch.allclose(second, third)
        model.set_class_list(['a', 'b'])
        model.text_feats()
        assert len(calls) == 4


def test_predict_without_class_list_explains():
    model = MODELS.build(tiny_coop_cfg())
    with pytest.raises(RuntimeError, match='ClassListHook'):
        model(torch.randn(1, 3, 32, 32), mode='predict')
