"""Few-shot classification: all classes, K shots per class, for each K.

A protocol config of this kind::

    kind = 'fewshot'
    datasets = ['dtd', 'eurosat']
    shots = [1, 2, 4, 8, 16]
    seeds = [1, 2, 3]
    methods = [dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'), ...]
    work_dir = 'work_dirs/fewshot_coop'

Each method is trained on all classes of each dataset with K shots per class (Dassl's draw for
that seed; validation min(K, 4)), and tested on all classes of the test split. Method entries are
the B2N protocol's. Results: ``<work_dir>/<method>/<dataset>/<K>shot/seed<S>/test_all.json``,
resumable.
"""
import json
import os.path as osp
from typing import Dict, Iterator, Optional, Sequence

from mmengine.config import Config

from fvgpt.evaluation.transfer import aggregate_few_shot, format_few_shot_table
from fvgpt.utils.io import dump_json_atomic
from .protocol import B2NProtocol


class FewShotProtocol(B2NProtocol):
    """Trains and tests every (method, dataset, shots, seed) on all classes.

    Args: as :class:`B2NProtocol`; the config also has ``kind='fewshot'`` and ``shots``.
    """

    kind = 'fewshot'
    required_keys = ('kind', 'datasets', 'shots', 'seeds', 'methods', 'work_dir')

    def __init__(self, protocol: Config, *args, **kwargs) -> None:
        super().__init__(protocol, *args, **kwargs)
        bad = [k for k in protocol.shots if not isinstance(k, int) or k < 1]
        if bad:
            raise ValueError(f'shots must be positive integers, got {bad}.')
        self.shots = None  # the number of shots of the step being run

    def run_dir(self, method: str, dataset: str, seed: int) -> str:
        return osp.join(self.protocol.work_dir, method, dataset, f'{self.shots}shot', f'seed{seed}')

    def stage_cfg(self, method: dict, dataset: str, seed: int, work_dir: str) -> Config:
        cfg = super().stage_cfg(method, dataset, seed, work_dir)
        for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            if cfg.get(key) and 'dataset' in cfg[key]:
                cfg[key].dataset.subsample = 'all'
                if key != 'test_dataloader':
                    cfg[key].dataset.num_shots = self.shots
        return cfg

    def test_all(self, method: dict, dataset: str, seed: int, checkpoint: Optional[str]) -> float:
        run_dir = self.run_dir(method['name'], dataset, seed)
        out = osp.join(run_dir, 'test_all.json')
        if osp.isfile(out):
            with open(out) as f:
                return json.load(f)['accuracy']
        self.log(f'[test] {method["name"]} {dataset} {self.shots}-shot seed{seed}')
        cfg = self.stage_cfg(method, dataset, seed, run_dir)
        cfg.merge_from_dict(dict(method.get('test_cfg_options', {})))
        return self.run_test(method, cfg, checkpoint, out, shots=self.shots)

    def settings(self) -> Iterator[None]:
        """One setting per shot count of the protocol (``self.shots``)."""
        for shots in self.protocol.shots:
            self.shots = shots
            yield None

    def test_trained(self, method: dict, dataset: str, seed: int,
                     checkpoint: Optional[str]) -> None:
        """Few-shot runs are tested once, on all classes."""
        self.test_all(method, dataset, seed, checkpoint)

    def collect(self, datasets: Sequence[str], methods: Sequence[str]) -> Dict[str, dict]:
        """Per method, accuracy per dataset and shots; written to ``fewshot_results.{json,md}``."""
        tables = {}
        for method in self.protocol.methods:
            if method['name'] not in methods:
                continue
            records = []
            for dataset in datasets:
                for shots in self.protocol.shots:
                    self.shots = shots
                    for seed in self.seeds_of(method):
                        path = osp.join(
                            self.run_dir(method['name'], dataset, seed), 'test_all.json')
                        accuracy = None
                        if osp.isfile(path):
                            with open(path) as f:
                                accuracy = json.load(f)['accuracy']
                        records.append(
                            dict(dataset=dataset, shots=shots, seed=seed, accuracy=accuracy))
            tables[method['name']] = aggregate_few_shot(records)
        stem = osp.join(self.protocol.work_dir, 'fewshot_results')
        dump_json_atomic(
            {
                m: {
                    d: {
                        str(k): v
                        for k, v in row.items()
                    }
                    for d, row in t.items()
                }
                for m, t in tables.items()
            }, stem + '.json')
        with open(stem + '.md', 'w') as f:
            f.write(self.format_tables(tables) + '\n')
        return tables

    def format_tables(self, tables: Dict[str, dict], papers: Optional[dict] = None) -> str:
        """Per method: datasets down, shots across (top-1 %, all classes, mean over seeds)."""
        return '\n\n'.join(
            format_few_shot_table(t, title=f'## {name} (few-shot, all classes)')
            for name, t in tables.items())
