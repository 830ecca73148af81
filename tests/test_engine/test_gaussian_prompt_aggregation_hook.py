import math

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner

from fvgpt.engine.hooks.gaussian_prompt_aggregation_hook import (CHECKPOINT_KEY,
                                                                 GaussianPromptAggregationHook,
                                                                 gaussian_epoch_weights)
from fvgpt.utils import load_checkpoint_file


def authors_gpa_weights(num_epochs, mean, std):
    # PromptSRC.build_model: gauss(a) for a in 1..N, divided by the sum.
    gauss = [(1 / (std * math.sqrt(2 * math.pi))) * math.exp(-0.5 * ((a - mean) / std)**2)
             for a in range(1, num_epochs + 1)]
    return [g / sum(gauss) for g in gauss]


class PromptModel(BaseModel):
    """A 'prompt' pulled towards each batch's mean; a frozen weight beside it."""

    def __init__(self):
        super().__init__()
        self.prompt = torch.nn.Parameter(torch.zeros(3))
        self.frozen = torch.nn.Parameter(torch.ones(3), requires_grad=False)

    def forward(self, inputs, data_samples=None, mode='loss'):
        return {'loss': ((self.prompt - inputs.mean(0) * self.frozen)**2).sum()}


class RecordEpochEnd(Hook):
    priority = 'HIGH'  # before the aggregation hook touches the parameters

    def __init__(self, record):
        self.record = record

    def after_train_epoch(self, runner):
        self.record.append(runner.model.prompt.detach().clone())


class StopAfter(Hook):

    def __init__(self, epochs):
        self.epochs = epochs

    def after_train_epoch(self, runner):
        if runner.epoch + 1 == self.epochs:
            runner.train_loop.stop_training = True


def runner_cfg(work_dir, epochs, hooks, mean=3.0, std=1.0, resume=False):
    data = [dict(inputs=torch.arange(3, dtype=torch.float32) * (i + 1)) for i in range(8)]
    return dict(
        model=PromptModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            batch_size=2,
            num_workers=0,
            dataset=data,
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='default_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        custom_hooks=[
            dict(type='GaussianPromptAggregationHook', mean=mean, std=std),
            dict(type='WeightsOnlyCheckpointHook'), *hooks
        ],
        default_hooks=dict(checkpoint=dict(type='CheckpointHook', interval=1)),
        default_scope='fvgpt',
        resume=resume,
        log_level='WARNING',
    )


def test_weights_are_the_authors_gaussian():
    for n, mean, std in [(10, 15, 1), (4, 3, 1), (5, 2.5, 2.0)]:
        ours = gaussian_epoch_weights(n, mean, std)
        assert ours == pytest.approx(authors_gpa_weights(n, mean, std), rel=1e-9, abs=1e-15)
    # the authors' recipe: nearly all weight on the last epoch
    assert gaussian_epoch_weights(10, 15, 1)[-1] > 0.99
    # far tails: the authors' density underflows (sum 0, nan weights); ours stays defined
    assert gaussian_epoch_weights(3, 100, 1) == pytest.approx([0, 0, 1], abs=1e-12)


def test_final_parameters_are_the_weighted_sum_and_are_checkpointed(tmp_path):
    record = []
    runner = Runner(**runner_cfg(tmp_path, 4, [RecordEpochEnd(record)]))
    runner.train()
    assert len(record) == 4 and not torch.allclose(record[0], record[-1])
    weights = authors_gpa_weights(4, 3.0, 1.0)
    expected = sum(w * p for w, p in zip(weights, record))
    torch.testing.assert_close(runner.model.prompt.detach(), expected)
    torch.testing.assert_close(runner.model.frozen.detach(), torch.ones(3))  # not aggregated
    ckpt = load_checkpoint_file(str(tmp_path / 'epoch_4.pth'))  # weights_only
    torch.testing.assert_close(ckpt['state_dict']['prompt'], expected)
    assert ckpt[CHECKPOINT_KEY]['epochs_done'] == 4
    # the checkpoint of an earlier epoch holds that epoch's own prompt, not a partial sum
    torch.testing.assert_close(
        load_checkpoint_file(str(tmp_path / 'epoch_3.pth'))['state_dict']['prompt'], record[2])


def test_resumed_run_aggregates_as_an_uninterrupted_one(tmp_path):
    full = Runner(**runner_cfg(tmp_path / 'full', 4, []))
    full.train()
    first = Runner(**runner_cfg(tmp_path / 'part', 4, [StopAfter(2)]))
    first.train()
    assert first.epoch == 2
    resumed = Runner(**runner_cfg(tmp_path / 'part', 4, [], resume=True))
    resumed.train()
    torch.testing.assert_close(resumed.model.prompt.detach(), full.model.prompt.detach())


def test_mismatched_gaussian_on_resume_and_bad_std_explain(tmp_path):
    Runner(**runner_cfg(tmp_path, 4, [StopAfter(1)])).train()
    resumed = Runner(**runner_cfg(tmp_path, 4, [], mean=5.0, resume=True))
    with pytest.raises(ValueError, match='mean 3.0, std 1.0; this config uses mean 5.0'):
        resumed.train()
    with pytest.raises(ValueError, match='std > 0'):
        GaussianPromptAggregationHook(std=0)


def test_iteration_based_training_is_refused(tmp_path):
    cfg = runner_cfg(tmp_path, 4, [])
    cfg['train_cfg'] = dict(by_epoch=False, max_iters=4)
    with pytest.raises(TypeError, match='epoch-based train loop'):
        Runner(**cfg).train()
