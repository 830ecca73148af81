"""Best-validation model selection (Dassl's TEST.FINAL_MODEL "best_val") through the protocol
runner, with the few-shot schedule's own switch, on a model whose validation accuracy per epoch
is set by the test."""
import json
import os
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample

from fvgpt.apis import B2NProtocol, selects_best_val
from fvgpt.models.fvgpt.stage1_checkpoint import resolve_checkpoint
from fvgpt.registry import DATASETS, MODELS
from fvgpt.testing import REPO
from fvgpt.utils import load_checkpoint_file

#: Validation top-1 (%) after epochs 1..5: the best is epoch 2; epoch 3 ties it; epochs 4 and 5
#: are worse than it but better than each other's predecessor.
ACCURACY_BY_EPOCH = [20, 60, 60, 40, 50]


def dassl_best_val_epoch(accuracies):
    """Dassl's selection (``SimpleTrainer.after_epoch``): ``best_result = -inf``; after each
    epoch, ``if curr_result > best_result`` the epoch's model becomes ``model-best``."""
    best, chosen = -float('inf'), None
    for epoch, acc in enumerate(accuracies, start=1):
        if acc > best:
            best, chosen = acc, epoch
    return chosen


@MODELS.register_module(name='_EpochCountingClassifier', force=True)
class EpochCountingClassifier(BaseModel):
    """One weight ``w`` that each training step raises by 1 (loss ``-w``, SGD lr 1), so with one
    step per epoch ``w`` equals the epochs trained; evaluated, it predicts the true label (0) for
    the items whose index is below ``accuracy[w - 1]`` (of 100 items: that accuracy in %)."""

    def __init__(self, accuracy):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(()))
        self.accuracy = list(accuracy)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        if mode == 'loss':
            return dict(loss=-self.w.sum())
        correct = self.accuracy[int(round(float(self.w))) - 1]
        for index, sample in zip(inputs, data_samples):
            label = 0 if int(index) < correct else 1
            sample.set_pred_score(torch.eye(2)[label]).set_pred_label(label)
        return data_samples


@DATASETS.register_module(name='_IndexDataset', force=True)
class IndexDataset(torch.utils.data.Dataset):
    """``size`` items ``(index, label 0)``; ``subsample`` is taken, as the protocol sets it."""

    metainfo = dict(classes=('zero', 'one'))

    def __init__(self, size, subsample='all'):
        self.size = size

    def __len__(self):
        return self.size

    def __getitem__(self, i):
        return dict(inputs=torch.tensor(i), data_samples=DataSample().set_gt_label(0))


def write_config(path):
    """A config on the PromptSRC few-shot schedule (its val_interval and best_val checkpoint
    options are the ones under test); only the optimizer and the data are the toy's."""
    loader = 'dict(batch_size={}, num_workers=0, sampler=dict(type="DefaultSampler", ' \
        'shuffle=False), dataset=dict(type="_IndexDataset", size={}))'
    text = f"""_base_ = [{osp.join(REPO, 'configs/_base_/schedules/promptsrc_fewshot.py')!r},
          {osp.join(REPO, 'configs/_base_/default_runtime.py')!r}]
model = dict(type='_EpochCountingClassifier', accuracy={ACCURACY_BY_EPOCH!r})
default_hooks = dict(checkpoint=_base_.best_val_checkpoint, logger=dict(interval=1))
optim_wrapper = dict(_delete_=True, type='OptimWrapper', optimizer=dict(type='SGD', lr=1.0))
param_scheduler = []
train_cfg = dict(max_epochs={len(ACCURACY_BY_EPOCH)})
custom_hooks = [dict(type='WeightsOnlyCheckpointHook')]
train_dataloader = {loader.format(1, 1)}
val_dataloader = {loader.format(100, 100)}
test_dataloader = val_dataloader
val_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))
test_evaluator = val_evaluator
visualizer = dict(type='UniversalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
"""
    with open(path, 'w') as f:
        f.write(text)
    return str(path)


def toy_protocol(tmp_path, **cfg_options):
    protocol = Config(
        dict(
            datasets=['toy'],
            seeds=[1],
            methods=[dict(name='toy', config=write_config(tmp_path / 'toy.py'))],
            work_dir=str(tmp_path / 'runs')))
    return B2NProtocol(protocol, cfg_options=cfg_options, log=lambda s: None)


def trained_epochs(checkpoint):
    return int(round(float(load_checkpoint_file(checkpoint)['state_dict']['w'])))


def test_the_best_validation_epoch_is_tested(tmp_path):
    assert dassl_best_val_epoch(ACCURACY_BY_EPOCH) == 2
    runner = toy_protocol(tmp_path)
    runner.run()
    run_dir = tmp_path / 'runs' / 'toy' / 'toy' / 'seed1'
    done = json.load(open(run_dir / 'train_done.json'))
    assert trained_epochs(done['checkpoint']) == dassl_best_val_epoch(ACCURACY_BY_EPOCH)
    # the last epoch's checkpoint is another one: the selection did something
    last = open(run_dir / 'last_checkpoint').read().strip()
    assert trained_epochs(last) == len(ACCURACY_BY_EPOCH)
    # the test scored the selected model
    result = json.load(open(run_dir / 'test_base.json'))
    assert result['checkpoint'] == done['checkpoint']
    assert result['accuracy'] == pytest.approx(max(ACCURACY_BY_EPOCH))
    # FVG-PT's stage 2 given this work dir (backbone_ckpt='auto' or a path) loads the same one
    assert resolve_checkpoint(str(run_dir)) == done['checkpoint']


def test_resume_keeps_the_best_so_far(tmp_path):
    run_dir = tmp_path / 'runs' / 'toy' / 'toy' / 'seed1'
    method = dict(name='toy', config=str(tmp_path / 'toy.py'))
    # stopped after 3 epochs (best: epoch 2), then resumed to 5 from its last checkpoint
    toy_protocol(tmp_path, **{'train_cfg.max_epochs': 3}).train(method, 'toy', 1)
    os.remove(run_dir / 'train_done.json')
    ckpt = toy_protocol(tmp_path).train(method, 'toy', 1)
    assert trained_epochs(open(run_dir / 'last_checkpoint').read().strip()) == 5
    # epochs 4 and 5 (40, 50) are below the best so far: a best score forgotten on resume (as
    # Dassl's, which restarts from -inf) would deploy epoch 5
    assert trained_epochs(ckpt) == dassl_best_val_epoch(ACCURACY_BY_EPOCH) == 2
    assert sorted(f for f in os.listdir(run_dir) if f.startswith('best_')) == \
        [osp.basename(ckpt)]


def test_switch_needs_validation_every_epoch(tmp_path):
    cfg = Config.fromfile(write_config(tmp_path / 'toy.py'))
    assert selects_best_val(cfg)
    cfg.train_cfg.val_interval = 5
    with pytest.raises(ValueError, match='val_interval=1'):
        selects_best_val(cfg)
    cfg.train_cfg.val_interval = 1
    cfg.default_hooks.checkpoint.rule = 'less'
    with pytest.raises(ValueError, match='strictly greater'):
        selects_best_val(cfg)
    cfg.default_hooks.checkpoint.save_best = None
    assert not selects_best_val(cfg)
