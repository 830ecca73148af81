"""Which checkpoint of a finished training is deployed (tested, or handed to stage 2).

Dassl's ``TEST.FINAL_MODEL``: ``"last_step"`` (its default) deploys the last epoch's model;
``"best_val"`` (PromptSRC's and FVG-PT-on-PromptSRC's few-shot yamls) validates after every
epoch and deploys the model of the epoch with the best validation accuracy, a later epoch
replacing the kept one only when strictly better (``curr_result > self.best_result`` in
``dassl/engine/trainer.py``, ``SimpleTrainer.after_epoch``).

Here the switch is mmengine's own: a config whose ``default_hooks.checkpoint`` has ``save_best``
(with ``train_cfg.val_interval=1``) selects the best validation epoch. mmengine's
``CheckpointHook`` with ``rule='greater'`` replaces the best checkpoint only when ``x > y``, as
Dassl does, and keeps the best score and its file in the message hub, which the checkpoints
carry: a resumed training compares with the best so far (Dassl's resume starts again from
-inf). :func:`final_checkpoint` names the file to deploy.
"""
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner

#: The metric of the best-validation selection (Dassl's: top-1 accuracy of the val split).
BEST_VAL_METRIC = 'accuracy/top1'

#: ``default_hooks.checkpoint`` options that select the best validation epoch.
BEST_VAL_CHECKPOINT = dict(save_best=BEST_VAL_METRIC, rule='greater')


def selects_best_val(cfg: Config) -> bool:
    """Whether ``cfg`` deploys its best validation epoch (Dassl's ``FINAL_MODEL "best_val"``).

    Args:
        cfg (Config): a training config.

    Returns:
        bool: True when ``default_hooks.checkpoint.save_best`` is set.

    Raises:
        ValueError: ``save_best`` is set but not as :data:`BEST_VAL_CHECKPOINT` says, or the
            config does not validate after every epoch.
    """
    hook = (cfg.get('default_hooks') or {}).get('checkpoint') or {}
    if not hook.get('save_best'):
        return False
    chosen = {k: hook.get(k) for k in BEST_VAL_CHECKPOINT}
    if chosen != BEST_VAL_CHECKPOINT:
        raise ValueError(f'default_hooks.checkpoint selects the best validation epoch with '
                         f'{chosen}; fvgpt deploys that epoch only with {BEST_VAL_CHECKPOINT} '
                         "(Dassl's best_val: top-1 accuracy, strictly greater replaces).")
    if (cfg.get('train_cfg') or {}).get('val_interval') != 1 or not cfg.get('val_dataloader'):
        raise ValueError('default_hooks.checkpoint.save_best needs a validation after every '
                         'epoch: set train_cfg.val_interval=1 and a val_dataloader (the '
                         'few-shot val split), as configs/_base_/schedules/promptsrc_fewshot.py '
                         'does.')
    return True


def final_checkpoint(cfg: Config, runner: Runner) -> str:
    """The checkpoint to deploy after ``runner.train()`` of ``cfg``.

    Args:
        cfg (Config): the training config.
        runner (Runner): its runner, trained (or resumed and trained to the end).

    Returns:
        str: the best validation epoch's checkpoint when :func:`selects_best_val`, else the
        last one (the work dir's ``last_checkpoint``).

    Raises:
        FileNotFoundError: the checkpoint named is not there.
    """
    if selects_best_val(cfg):
        ckpt = runner.message_hub.get_info('best_ckpt')
        what = f'the best validation checkpoint (message hub "best_ckpt": {ckpt})'
    else:
        last = osp.join(runner.work_dir, 'last_checkpoint')
        if not osp.isfile(last):
            raise FileNotFoundError(f'The training in {runner.work_dir} wrote no '
                                    'last_checkpoint: was default_hooks.checkpoint removed?')
        with open(last) as f:
            ckpt = f.read().strip()
        what = f'the last checkpoint ({last})'
    if not ckpt or not osp.isfile(ckpt):
        raise FileNotFoundError(f'The training in {runner.work_dir} finished without '
                                f'{what}. Delete the work dir and train again.')
    return ckpt
