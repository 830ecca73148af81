"""Domain generalization and cross-dataset transfer: train once on a source, test on targets.

A protocol config of this kind::

    kind = 'dg'                      # or 'xd' (cross-dataset)
    source = 'imagenet'
    targets = ['imagenetv2', 'imagenet_sketch', 'imagenet_a', 'imagenet_r']
    seeds = [1, 2, 3]
    methods = [dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'), ...]
    work_dir = 'work_dirs/dg_coop_fvgpt'

Each method is trained on all classes of the source (``subsample='all'``, the config's shots),
then tested on all classes of the source's test split and of each target's (the target's
registered dataset, the source config's test pipeline; the model takes the target's class
names from it). Methods are the B2N protocol's entries (``config`` with ``{dataset}`` = the
source, ``train``, ``seeded``, ``stage1``/``stage1_key``, ``cfg_options``), plus optional
``test_cfg_options`` merged when testing (e.g. FVG-PT's ``model.test_branch``), then
``source_cfg_options`` when testing on the source or ``target_cfg_options`` on any target (e.g.
MMRL, whose authors fuse its two logits on the source only: ``{'model.fused_inference':
'always'}`` and ``'never'``). Results:
``<work_dir>/<method>/<source>/seed<S>/test_<dataset>.json``, resumable as in the B2N protocol.
"""
import json
import os.path as osp
from typing import Dict, Optional, Sequence

from mmengine.config import Config

from fvgpt.datasets.coop_meta import get_coop_meta
from fvgpt.evaluation.transfer import aggregate_transfer, format_transfer_table
from fvgpt.utils.io import dump_json_atomic
from .protocol import B2NProtocol

TRAIN_LOADERS = ('train_dataloader', 'val_dataloader')


class TransferProtocol(B2NProtocol):
    """Trains every method on ``source`` and tests it on the source and every target.

    Args: as :class:`B2NProtocol`; the config has ``kind`` (``'dg'`` or ``'xd'``),
    ``source`` and ``targets`` instead of ``datasets``.
    """

    required_keys = ('kind', 'source', 'targets', 'seeds', 'methods', 'work_dir')
    transfer_only_keys = ()  # this runner reads source_cfg_options and target_cfg_options
    titles = dict(dg='Domain generalization', xd='Cross-dataset transfer')

    def __init__(self, protocol: Config, *args, **kwargs) -> None:
        super().__init__(protocol, *args, **kwargs)
        if protocol.kind not in self.titles:
            raise ValueError(f'TransferProtocol runs kind "dg" or "xd", got "{protocol.kind}".')
        self.kind = protocol.kind
        for name in [protocol.source, *protocol.targets]:
            get_coop_meta(name)  # an unknown dataset name fails here, with the known ones

    def stage_cfg(self, method: dict, dataset: str, seed: int, work_dir: str) -> Config:
        cfg = super().stage_cfg(method, dataset, seed, work_dir)
        for key in TRAIN_LOADERS:  # all classes of the source, not its base half
            if cfg.get(key) and 'dataset' in cfg[key]:
                cfg[key].dataset.subsample = 'all'
        return cfg

    def test_on(self, method: dict, seed: int, target: str, checkpoint: Optional[str]) -> float:
        """Top-1 (%) of the method's source model on all classes of ``target``'s test split."""
        source = self.protocol.source
        run_dir = self.run_dir(method['name'], source, seed)
        out = osp.join(run_dir, f'test_{target}.json')
        if osp.isfile(out):
            with open(out) as f:
                return json.load(f)['accuracy']
        self.log(f'[test] {method["name"]} {source} seed{seed} -> {target}')
        cfg = self.test_cfg(method, seed, target, run_dir)
        return self.run_test(method, cfg, checkpoint, out, dataset=target)

    def test_cfg(self, method: dict, seed: int, target: str, work_dir: str) -> Config:
        """The config testing the method's source model on all classes of ``target``.

        Args:
            method (dict): the method's entry.
            seed (int): the seed of the run.
            target (str): the dataset tested (the source or a target).
            work_dir (str): the work dir of the run.

        Returns:
            Config: the source's stage config with the method's ``test_cfg_options``, then its
            ``source_cfg_options`` (``target`` is the source) or ``target_cfg_options``, and
            the test split of ``target``.
        """
        cfg = self.stage_cfg(method, self.protocol.source, seed, work_dir)
        cfg.merge_from_dict(dict(method.get('test_cfg_options', {})))
        per_dataset = 'source_cfg_options' if target == self.protocol.source else \
            'target_cfg_options'
        cfg.merge_from_dict(dict(method.get(per_dataset, {})))
        test_set = cfg.test_dataloader.dataset
        test_set.type = get_coop_meta(target).fvgpt_class
        test_set.split = 'test'
        test_set.subsample = 'all'
        return cfg

    def run(self,
            datasets: Optional[Sequence[str]] = None,
            methods: Optional[Sequence[str]] = None) -> Dict[str, dict]:
        """Runs what is not done yet; returns ``{method: aggregate_transfer row}``.

        ``datasets`` limits the targets tested (the source is always tested).
        """
        targets = [t for t in self.protocol.targets if not datasets or t in datasets]
        wanted = [m for m in self.protocol.methods if not methods or m['name'] in methods]
        for seed in self.protocol.seeds:
            for method in wanted:
                if seed not in self.seeds_of(method):
                    continue
                ckpt = self.train(method, self.protocol.source, seed) \
                    if method.get('train', True) else None
                for target in [self.protocol.source, *targets]:
                    self.test_on(method, seed, target, ckpt)
        return self.collect([m['name'] for m in wanted])

    def collect(self, methods: Sequence[str]) -> Dict[str, dict]:
        """The transfer table of the finished results, written to ``<kind>_results.{json,md}``."""
        source, targets = self.protocol.source, list(self.protocol.targets)
        rows = {}
        for method in self.protocol.methods:
            if method['name'] not in methods:
                continue
            records = []
            for seed in self.seeds_of(method):
                rec = dict(seed=seed)
                for name in [source, *targets]:
                    path = osp.join(self.run_dir(method['name'], source, seed), f'test_{name}.json')
                    if osp.isfile(path):
                        with open(path) as f:
                            rec[name] = json.load(f)['accuracy']
                records.append(rec)
            rows[method['name']] = aggregate_transfer(records, source, targets)
        stem = osp.join(self.protocol.work_dir, f'{self.kind}_results')
        dump_json_atomic(rows, stem + '.json')
        with open(stem + '.md', 'w') as f:
            f.write(self.format_tables(rows) + '\n')
        return rows

    def format_tables(self, rows: Dict[str, dict], papers: Optional[dict] = None) -> str:
        """The field's table: source, each target, and the mean of the targets."""
        return format_transfer_table(
            rows,
            self.protocol.source,
            list(self.protocol.targets),
            title=f'## {self.titles[self.kind]} (mean over seeds; average = mean of the '
            f'{len(self.protocol.targets)} targets)',
            papers=papers)
