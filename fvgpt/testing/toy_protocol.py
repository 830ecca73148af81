"""A B2N protocol of the shipped toy-world configs made short for tests: random ToyCLIP weights
(the runner's bookkeeping is under test, not accuracy), one epoch without a scheduler."""
import os.path as osp
from typing import Sequence

from mmengine.config import Config

from .tool_runs import REPO

#: The cfg_options of a method on random ToyCLIP weights.
RANDOM_CLIP = {'model.clip.pretrained': None}
#: The cfg_options of one short epoch: no scheduler, no validation, no workers, few logs, no
#: TensorBoard.
ONE_EPOCH = {
    'train_cfg.max_epochs': 1,
    'param_scheduler': [],
    'train_cfg.val_interval': 5,
    'train_dataloader.num_workers': 0,
    'log_level': 'WARNING',
    'visualizer.vis_backends': [dict(type='LocalVisBackend')]
}


def toy_b2n_protocol(work_dir: str,
                     seeds: Sequence[int] = (1, ),
                     zero_shot: bool = False) -> Config:
    """The protocol config of CoOp and FVG-PT on it (and zero-shot CLIP first with
    ``zero_shot``) on the toy world, each method one epoch on random ToyCLIP weights.

    Args:
        work_dir (str): the protocol's work dir.
        seeds (Sequence[int]): the seeds. Defaults to ``(1, )``.
        zero_shot (bool): add zero-shot CLIP (untrained, unseeded). Defaults to False.

    Returns:
        Config: what ``B2NProtocol`` (or ``B2NSweep``) takes.
    """
    configs = osp.join(REPO, 'configs')
    methods = [
        dict(
            name='coop',
            config=osp.join(configs, 'coop', 'coop_b2n_{dataset}.py'),
            cfg_options={
                **RANDOM_CLIP,
                **ONE_EPOCH
            }),
        dict(
            name='fvgpt',
            config=osp.join(configs, 'fvgpt', 'coop_b2n_{dataset}.py'),
            stage1='coop',
            stage1_key='model.backbone_ckpt',
            cfg_options={
                'model.backbone.clip.pretrained': None,
                **ONE_EPOCH
            }),
    ]
    if zero_shot:
        methods.insert(
            0,
            dict(
                name='zsclip',
                config=osp.join(configs, 'zsclip', 'zsclip_b2n_{dataset}.py'),
                train=False,
                seeded=False,
                cfg_options=RANDOM_CLIP))
    return Config(
        dict(datasets=['toyworld'], seeds=list(seeds), work_dir=str(work_dir), methods=methods))


def make_protocol_world(data_root: str,
                        num_train: int = 4,
                        num_val: int = 2,
                        num_test: int = 2) -> str:
    """Writes the toy world of protocol tests: 2 colours x 2 shapes (2 base, 2 new classes) at
    the default image size, ``num_train`` / ``num_val`` / ``num_test`` images per class.

    Returns:
        str: ``data_root``.
    """
    from fvgpt.toyworld import ToyWorldConfig, write_toyworld
    write_toyworld(
        data_root,
        ToyWorldConfig(
            colours=('red', 'blue'),
            shapes=('circle', 'square'),
            num_train=num_train,
            num_val=num_val,
            num_test=num_test),
        progress=False)
    return data_root
