"""Dassl's learning-rate schedule: a constant warm-up, then cosine annealing.

Every CoOp-family trainer (CoOp, CoCoOp, KgCoOp, MaPLe, PromptSRC, MMRL, FVG-PT) builds its
schedule with Dassl's ``build_lr_scheduler``: ``CosineAnnealingLR(T_max=max_epoch)`` wrapped in a
``ConstantWarmupScheduler`` that only starts stepping the cosine once the warm-up epochs are over.
So epoch ``e < W`` runs at the warm-up lr, and epoch ``e >= W`` at cosine step ``e - W``: the first
epoch after the warm-up runs at the full base lr, and the last epoch never reaches the cosine's end.
mmengine's ``ConstantLR`` + ``CosineAnnealingLR`` pair cannot state this without a warm-up factor
tied to the base lr (``1e-5 / lr``, wrong as soon as the lr is overridden), hence one scheduler.
"""
import math

from mmengine.optim.scheduler.lr_scheduler import LRSchedulerMixin
from mmengine.optim.scheduler.param_scheduler import INF, _ParamScheduler

from fvgpt.registry import PARAM_SCHEDULERS


class WarmupCosineAnnealingParamScheduler(_ParamScheduler):
    """Constant warm-up value, then cosine annealing, epoch by epoch as Dassl steps it.

    Value of epoch ``e`` (counted from ``begin``), with ``v0`` the parameter's initial value::

        e <  warmup_epochs:  warmup_value
        e >= warmup_epochs:  eta_min
                             + (v0 - eta_min) * (1 + cos(pi * (e - warmup_epochs) / T_max)) / 2

    Args:
        optimizer (Optimizer | BaseOptimWrapper): the optimizer.
        param_name (str): the parameter scheduled, e.g. ``'lr'``.
        T_max (int): period of the cosine in epochs: Dassl's ``MAX_EPOCH`` (not shortened by
            the warm-up).
        warmup_epochs (int): epochs at ``warmup_value`` (Dassl's ``WARMUP_EPOCH``); 0 gives the
            plain cosine. Defaults to 1.
        warmup_value (float): the constant value of the warm-up epochs (Dassl's
            ``WARMUP_CONS_LR``), absolute, whatever the base value. Defaults to 1e-5.
        eta_min (float): the cosine's final value. Defaults to 0.
        begin (int): first epoch of the schedule. Defaults to 0.
        end (int): epoch after the last one scheduled. Defaults to INF.
        last_step (int): for resuming without a state dict. Defaults to -1.
        by_epoch (bool): must be True: Dassl steps its schedulers once per epoch.
        verbose (bool): print each update. Defaults to False.
    """

    def __init__(self,
                 optimizer,
                 param_name: str,
                 T_max: int,
                 warmup_epochs: int = 1,
                 warmup_value: float = 1e-5,
                 eta_min: float = 0.0,
                 begin: int = 0,
                 end: int = INF,
                 last_step: int = -1,
                 by_epoch: bool = True,
                 verbose: bool = False):
        if not by_epoch:
            raise ValueError('WarmupCosineAnnealing schedules step once per epoch, as Dassl '
                             'does: set by_epoch=True.')
        if T_max <= 0 or warmup_epochs < 0:
            raise ValueError(f'T_max must be positive and warmup_epochs >= 0, got T_max={T_max}, '
                             f'warmup_epochs={warmup_epochs}.')
        self.T_max = T_max
        self.warmup_epochs = warmup_epochs
        self.warmup_value = warmup_value
        self.eta_min = eta_min
        super().__init__(
            optimizer,
            param_name=param_name,
            begin=begin,
            end=end,
            last_step=last_step,
            by_epoch=by_epoch,
            verbose=verbose)

    def _get_value(self) -> list:
        # Closed form from the initial value: the schedule does not chain with others.
        epoch = self.last_step
        if epoch < self.warmup_epochs:
            return [self.warmup_value for _ in self.optimizer.param_groups]
        step = epoch - self.warmup_epochs
        cosine = (1 + math.cos(math.pi * step / self.T_max)) / 2
        return [
            self.eta_min + (group[f'initial_{self.param_name}'] - self.eta_min) * cosine
            for group in self.optimizer.param_groups
        ]


@PARAM_SCHEDULERS.register_module()
class WarmupCosineAnnealingLR(LRSchedulerMixin, WarmupCosineAnnealingParamScheduler):
    """Dassl's ``cosine`` lr schedule with ``WARMUP_TYPE: constant`` (see the module docstring).

    The B2N recipes of the CoOp family (``OPTIM.MAX_EPOCH: 10``, ``WARMUP_EPOCH: 1``,
    ``WARMUP_CONS_LR: 1e-5``) are
    ``dict(type='WarmupCosineAnnealingLR', T_max=10, warmup_epochs=1, warmup_value=1e-5)``.
    """
