"""A grid of one config value over a base-to-new protocol (the paper's lambda_d sweep, Fig. 4b).

    python tools/run_protocol.py configs/protocols/b2n_coop_fvgpt.py \
        --sweep model.base_head.loss_dist.loss_weight=0,1,5,10,20

:class:`B2NSweep` composes :class:`B2NProtocol`: it derives one protocol in which every method
whose config has the key (and every method built on one of those, e.g. FVG-PT on a swept CoOp)
is repeated once per value, as ``<method>@<value>`` with the value in its ``cfg_options``;
methods the key does not touch (CoOp's stage 1 under a lambda_d sweep) run once and are shared
by every point. Everything lands in ``<protocol work_dir>/sweep_<key>/``, one run folder per
method copy, so the sweep resumes exactly like the protocol: a point whose runs all have their
result files is skipped. At the end the per-point B2N averages are written to
``sweep_results.json`` and drawn (base, new, HM against the value) in ``sweep.png``.
"""
import copy
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config, DictAction

from fvgpt.utils.io import dump_json_atomic
from .protocol import SPLITS, B2NProtocol


def parse_sweep(spec: str) -> Tuple[str, list]:
    """``'key=v1,v2,...'`` -> ``(key, [v1, v2, ...])``, values parsed as ``--cfg-options``
    parses them (ints, floats, bools, None, strings; ``[a,b]`` for a list value)."""
    if '=' not in spec:
        raise ValueError(f'--sweep takes KEY=V1,V2,... (e.g. '
                         f'model.base_head.loss_dist.loss_weight=0,1,5,10,20), got "{spec}".')
    key, raw = spec.split('=', 1)
    values = [DictAction._parse_iterable(part) for part in _split_top_level(raw) if part]
    if not key or not values:
        raise ValueError(f'--sweep needs a key and at least one value, got "{spec}".')
    if len(set(map(value_name, values))) != len(values):
        raise ValueError(f'--sweep lists a value twice: {values}.')
    return key, values


def _split_top_level(text: str) -> List[str]:
    """``text`` cut at the commas outside brackets and parentheses."""
    parts, depth, current = [], 0, ''
    for char in text:
        depth += char in '[('
        depth -= char in '])'
        if char == ',' and depth == 0:
            parts.append(current)
            current = ''
        else:
            current += char
    return parts + [current]


def value_name(value) -> str:
    """The value as it appears in method names and folders (``fvgpt@10``)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text.replace('/', '_').replace(' ', '')


def config_has_key(cfg: Config, key: str) -> bool:
    """Whether the dotted ``key`` names an existing entry of ``cfg``."""
    node = cfg.to_dict() if isinstance(cfg, Config) else cfg
    for part in key.split('.'):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


class B2NSweep:
    """Runs a :class:`B2NProtocol` once per value of one config key.

    Args:
        protocol (Config): the protocol config (``datasets``, ``seeds``, ``methods``,
            ``work_dir``).
        key (str): the dotted config key (e.g. ``model.base_head.loss_dist.loss_weight``).
        values (Sequence): its values, in plotting order.
        cfg_options (dict, optional): merged into every stage config, as in the protocol.
        data_root (str, optional): ``data_root`` of every dataset.
        work_dir (str, optional): defaults to ``<protocol work_dir>/sweep_<key>``.
        log (callable): where progress lines go. Defaults to ``print``.
    """

    def __init__(self,
                 protocol: Config,
                 key: str,
                 values: Sequence,
                 cfg_options: Optional[dict] = None,
                 data_root: Optional[str] = None,
                 work_dir: Optional[str] = None,
                 log=print):
        self.key = key
        self.values = list(values)
        self.log = log
        self.swept = self._swept_methods(protocol)
        self.protocol = self._derive(protocol, work_dir)
        self.runner = B2NProtocol(
            self.protocol, cfg_options=cfg_options, data_root=data_root, log=log)

    @classmethod
    def from_spec(cls, protocol: Config, spec: str, **kwargs) -> 'B2NSweep':
        """From ``--sweep KEY=V1,V2,...``."""
        key, values = parse_sweep(spec)
        return cls(protocol, key, values, **kwargs)

    # ------------------------------------------------------------------ the derived protocol
    def _swept_methods(self, protocol: Config) -> List[str]:
        """Methods whose config has the key, and those with one of them as stage 1."""
        dataset = protocol.datasets[0]
        swept: List[str] = []
        for method in protocol.methods:
            path = method['config'].format(dataset=dataset)
            if not osp.isfile(path):
                raise FileNotFoundError(f'Config of method "{method["name"]}" not found: {path}')
            if config_has_key(Config.fromfile(path), self.key) or method.get('stage1') in swept:
                swept.append(method['name'])
        if not swept:
            raise KeyError(f'No method of the protocol has "{self.key}" in its config (checked '
                           f'on {dataset}): {[m["config"] for m in protocol.methods]}. Check '
                           'the key against the resolved config in a work dir.')
        return swept

    def method_name(self, method: str, value) -> str:
        """The name (and run folder) of a swept method's copy for ``value``."""
        return f'{method}@{value_name(value)}'

    def _derive(self, protocol: Config, work_dir: Optional[str]) -> Config:
        methods = []
        for method in protocol.methods:
            if method['name'] not in self.swept:
                methods.append(copy.deepcopy(dict(method)))
                continue
            for value in self.values:
                m = copy.deepcopy(dict(method))
                m['name'] = self.method_name(method['name'], value)
                m['cfg_options'] = {**dict(method.get('cfg_options', {})), self.key: value}
                if method.get('stage1') in self.swept:
                    m['stage1'] = self.method_name(method['stage1'], value)
                methods.append(m)
        derived = Config(dict(protocol.to_dict()))
        derived.methods = methods
        derived.work_dir = work_dir or osp.join(protocol.work_dir, f'sweep_{self.key}')
        return derived

    # ------------------------------------------------------------------ running
    def point_done(self, value, datasets: Sequence[str]) -> bool:
        """Whether every run of the point has its train and test result files."""
        for method in self.protocol.methods:
            if method['name'] not in self._point_methods(value):
                continue
            for dataset in datasets:
                for seed in self.runner.seeds_of(method):
                    run = self.runner.run_dir(method['name'], dataset, seed)
                    files = [f'test_{s}.json' for s in SPLITS]
                    if method.get('train', True):
                        files.append('train_done.json')
                    if not all(osp.isfile(osp.join(run, f)) for f in files):
                        return False
        return True

    def _point_methods(self, value) -> List[str]:
        return [self.method_name(m, value) for m in self.swept]

    def run(self,
            datasets: Optional[Sequence[str]] = None,
            methods: Optional[Sequence[str]] = None) -> dict:
        """Runs the points that are not done, then collects, saves and draws the sweep.

        Args:
            datasets (Sequence[str], optional): a subset of the protocol's datasets.
            methods (Sequence[str], optional): restrict to these (original) method names.

        Returns:
            dict: the content of ``sweep_results.json`` plus ``paths`` (files written).
        """
        datasets = list(datasets or self.protocol.datasets)
        swept = [base for base in self.swept if not methods or base in methods]
        if not swept:
            raise ValueError(f'--methods {" ".join(methods)} names none of the methods {self.key} '
                             f'sweeps ({", ".join(self.swept)}): add one of them.')
        shared = [
            m['name'] for m in self.protocol.methods
            if '@' not in m['name'] and (not methods or m['name'] in methods)
        ]
        todo = []
        for value in self.values:
            if self.point_done(value, datasets):
                self.log(f'[skip] sweep point {self.key}={value_name(value)}: done')
            else:
                todo += [self.method_name(base, value) for base in swept]
        if todo:
            self.runner.run(datasets=datasets, methods=shared + todo)
        names = shared + [self.method_name(base, v) for v in self.values for base in swept]
        tables = self.runner.collect(datasets, names)
        return self.summarize(tables, swept)

    def summarize(self, tables: Dict[str, dict], swept: Optional[Sequence[str]] = None) -> dict:
        """``sweep_results.json`` (per swept method, per value: the B2N average) and
        ``sweep.png``, for the swept methods ``swept`` (default: all of them)."""
        from fvgpt.analysis import plot_sweep
        points = {}
        for method in (self.swept if swept is None else swept):
            rows = []
            for value in self.values:
                average = tables.get(self.method_name(method, value), {}).get('average', {})
                rows.append(
                    dict(
                        value=value,
                        base=average.get('base'),
                        new=average.get('new'),
                        hm=average.get('hm'),
                        datasets=average.get('datasets', [])))
            points[method] = rows
        for method, rows in points.items():
            self.log(f'{method}: base / new / HM (average over datasets) against {self.key}')
            for row in rows:
                cells = ['-' if row[k] is None else f'{row[k]:.2f}' for k in ('base', 'new', 'hm')]
                self.log(f'  {value_name(row["value"]):>10}  ' + ' / '.join(cells))
        work_dir = self.protocol.work_dir
        result = dict(
            key=self.key,
            values=self.values,
            methods=points,
            shared={
                n: t.get('average')
                for n, t in tables.items() if '@' not in n
            })
        json_path = osp.join(work_dir, 'sweep_results.json')
        dump_json_atomic(result, json_path)
        png = plot_sweep(
            self.key, points, osp.join(work_dir, 'sweep.png'), title=f'B2N against {self.key}')
        return dict(result, paths=[json_path, png, osp.join(work_dir, 'b2n_results.json')])
