"""PromptSRC's Gaussian prompt aggregation (GPA) over training epochs."""
import math
from typing import Dict, List, Optional

import torch
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop

from fvgpt.registry import HOOKS

CHECKPOINT_KEY = 'gaussian_prompt_aggregation'


def gaussian_epoch_weights(num_epochs: int, mean: float, std: float) -> List[float]:
    """Weights of epochs ``1..num_epochs``: a Gaussian density at each epoch, normalized to sum 1.

    Args:
        num_epochs (int): number of training epochs ``N``.
        mean (float): the Gaussian's mean, in epochs (may lie beyond ``N``).
        std (float): its standard deviation, in epochs.

    Returns:
        list[float]: ``N`` weights summing to 1.
    """
    if num_epochs < 1 or std <= 0:
        raise ValueError(f'Gaussian prompt aggregation needs num_epochs >= 1 and std > 0, got '
                         f'num_epochs={num_epochs}, std={std}.')
    # Log-densities, shifted by their maximum before exp: the normalized weights are the same
    # and far tails (mean 15 vs. epoch 1) do not underflow to an all-zero sum.
    logs = [-0.5 * ((e - mean) / std)**2 for e in range(1, num_epochs + 1)]
    top = max(logs)
    dens = [math.exp(v - top) for v in logs]
    return [d / sum(dens) for d in dens]


@HOOKS.register_module()
class GaussianPromptAggregationHook(Hook):
    """Replaces the trained prompts by their Gaussian-weighted average over the epochs.

    PromptSRC (Khattak et al., ICCV 2023; JREion/FVG-PT ``trainers/promptsrc.py``) keeps, after
    each training epoch ``e`` (after its last optimizer step), ``w_e * theta_e`` summed over the
    epochs, where ``w`` is :func:`gaussian_epoch_weights` (mean 15, std 1 in the authors' recipe:
    with 10 epochs nearly all weight falls on the last ones). After the last epoch the model's
    trainable parameters become that sum, before the checkpoint of that epoch is written, so the
    final checkpoint and the test that follows use the aggregated prompts.

    Only parameters with ``requires_grad`` are aggregated; the authors sum the whole state dict,
    whose frozen entries are unchanged by a weighted sum with weights summing to 1 (up to
    rounding). The running sum travels in the checkpoints (key ``gaussian_prompt_aggregation``),
    so a resumed run aggregates as an uninterrupted one.

    Args:
        mean (float): mean of the Gaussian over epochs. Defaults to 15.
        std (float): its standard deviation. Defaults to 1.
    """

    priority = 'NORMAL'  # before CheckpointHook (VERY_LOW) writes the last epoch's checkpoint

    def __init__(self, mean: float = 15.0, std: float = 1.0):
        if std <= 0:
            raise ValueError(f'GaussianPromptAggregationHook needs std > 0, got {std}.')
        self.mean = float(mean)
        self.std = float(std)
        self.weights: List[float] = []
        self._sum: Optional[Dict[str, torch.Tensor]] = None
        self._epochs_done = 0

    @staticmethod
    def _trainable(runner) -> Dict[str, torch.nn.Parameter]:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        params = {n: p for n, p in model.named_parameters() if p.requires_grad}
        if not params:
            raise RuntimeError('GaussianPromptAggregationHook found no trainable parameter in '
                               f'{type(model).__name__}: there are no prompts to aggregate.')
        return params

    def before_train(self, runner) -> None:
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            raise TypeError('GaussianPromptAggregationHook weighs epochs: it needs an epoch-based '
                            "train loop (train_cfg=dict(by_epoch=True, max_epochs=...)), got "
                            f'{type(runner.train_loop).__name__}.')
        self.weights = gaussian_epoch_weights(runner.max_epochs, self.mean, self.std)
        if runner.epoch == 0:
            # A fresh run: a sum restored from a checkpoint loaded with `load_from` (weights
            # to start from, not a run to continue) does not belong to it.
            self._sum, self._epochs_done = None, 0
        elif runner.epoch != self._epochs_done:
            raise RuntimeError(
                f'Resumed at epoch {runner.epoch} but the checkpoint holds the Gaussian prompt '
                f'aggregation of {self._epochs_done} epochs: resume from a checkpoint written '
                'by a run with GaussianPromptAggregationHook.')
        MMLogger.get_current_instance().info(
            'Gaussian prompt aggregation (mean %g, std %g) epoch weights: %s', self.mean, self.std,
            ', '.join(f'{w:.3g}' for w in self.weights))

    def after_train_epoch(self, runner) -> None:
        epoch = runner.epoch  # 0-based index of the epoch that just ended
        params = self._trainable(runner)
        weight = self.weights[epoch]
        with torch.no_grad():
            if self._sum is None:
                self._sum = {n: weight * p.detach().float() for n, p in params.items()}
            else:
                if set(self._sum) != set(params):
                    raise RuntimeError('The trainable parameters changed during training: '
                                       f'{sorted(set(self._sum) ^ set(params))}.')
                for n, p in params.items():
                    self._sum[n] += weight * p.detach().float()
            self._epochs_done = epoch + 1
            if self._epochs_done == runner.max_epochs:
                for n, p in params.items():
                    p.copy_(self._sum[n].to(p.dtype))
                model = runner.model.module if is_model_wrapper(runner.model) else runner.model
                if hasattr(model, 'invalidate_text_cache'):  # new prompts: new text features
                    model.invalidate_text_cache()
                MMLogger.get_current_instance().info(
                    'Gaussian prompt aggregation: the trained parameters are now the weighted '
                    'sum over %d epochs.', self._epochs_done)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint[CHECKPOINT_KEY] = dict(
            mean=self.mean,
            std=self.std,
            epochs_done=self._epochs_done,
            sum={
                n: t.cpu()
                for n, t in (self._sum or {}).items()
            })

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get(CHECKPOINT_KEY)
        if state is None:
            # A checkpoint without the running sum (e.g. a stage-1 checkpoint loaded for testing)
            # leaves nothing to resume.
            return
        if (state['mean'], state['std']) != (self.mean, self.std):
            raise ValueError(
                f'The checkpoint was aggregated with a Gaussian of mean {state["mean"]}, std '
                f'{state["std"]}; this config uses mean {self.mean}, std {self.std}.')
        device = next(iter(self._trainable(runner).values())).device
        self._epochs_done = int(state['epochs_done'])
        self._sum = {n: t.to(device) for n, t in state['sum'].items()} or None
