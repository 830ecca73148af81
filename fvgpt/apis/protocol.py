"""Runs a whole base-to-new protocol: every method, dataset and seed, resumable.

A protocol is a small config (``configs/protocols/*.py``)::

    datasets = ['dtd', 'eurosat']
    seeds = [1, 2, 3]
    methods = [
        dict(name='zsclip', config='configs/zsclip/zsclip_b2n_{dataset}.py', train=False,
             seeded=False),
        dict(name='coop', config='configs/coop/coop_b2n_{dataset}.py'),
        dict(name='fvgpt', config='configs/fvgpt/coop_b2n_{dataset}.py',
             stage1='coop', stage1_key='model.backbone_ckpt'),
    ]
    work_dir = 'work_dirs/b2n'

For each dataset and seed, each method is trained (unless ``train=False``) on the base classes,
then tested on the base and on the new classes. A method with ``stage1`` gets the checkpoint of
that method's run on the same dataset and seed at ``stage1_key``. Every finished step leaves a
file in ``<work_dir>/<method>/<dataset>/seed<S>/`` (``train_done.json``, ``test_base.json``,
``test_new.json``), so a second call resumes where the first stopped. The B2N table (mean over
seeds, HM, average over datasets) is printed and written to ``<work_dir>/b2n_results.{json,md}``.

Every Runner of a protocol shares one image feature cache (``<work_dir>/feature_cache``, or the
protocol's ``feature_cache = dict(dir=...)``): the frozen CLIP features of zero-shot CLIP, CoOp,
KgCoOp and FVG-PT on them are computed once per image and pipeline for all methods and seeds
(tests by default; training too with ``feature_cache = dict(train=True)``, where the training
pipeline is deterministic). The table ends with the image-encoder passes run and reused.
"""
import json
import os.path as osp
import time
from typing import Dict, Iterator, List, Optional, Sequence

from mmengine.config import Config
from mmengine.runner import Runner

from fvgpt.engine import build_runner, feature_cache_hook
from fvgpt.evaluation import aggregate_b2n, format_b2n_tables
from fvgpt.evaluation.published import DEFAULT_METAFILES, published_for
from fvgpt.utils.io import dump_json_atomic
from fvgpt.utils.seed import DATALOADERS, apply_seed
from .final_checkpoint import final_checkpoint

SPLITS = ('base', 'new')


def _set_by_key(cfg: Config, dotted: str, value) -> None:
    cfg.merge_from_dict({dotted: value})


class B2NProtocol:
    """Trains and tests every (method, dataset, seed) of a protocol config.

    Args:
        protocol (Config): with ``datasets``, ``seeds``, ``methods`` and ``work_dir``.
        cfg_options (dict, optional): merged into every stage config (after the method's own
            ``cfg_options``).
        data_root (str, optional): ``data_root`` of every dataloader's dataset.
        log (callable): where progress lines go. Defaults to ``print``.
        feature_cache (dict, optional): ``train``, ``test`` (bool) and ``dir`` of the image
            feature cache of every stage, over the protocol's ``feature_cache`` and each stage
            config's (fvgpt.engine.FeatureCacheHook). Defaults: test on, train as the stage
            config says (off), ``dir`` ``<work_dir>/feature_cache``.
    """

    kind = 'b2n'
    required_keys = ('datasets', 'seeds', 'methods', 'work_dir')
    #: Method keys only the transfer protocols (dg, xd) read: refused elsewhere, not ignored.
    transfer_only_keys = ('source_cfg_options', 'target_cfg_options')

    def __init__(self,
                 protocol: Config,
                 cfg_options: Optional[dict] = None,
                 data_root: Optional[str] = None,
                 log=print,
                 feature_cache: Optional[dict] = None):
        missing = [k for k in self.required_keys if k not in protocol]
        if missing:
            raise KeyError(f'The protocol config lacks {", ".join(missing)}: see '
                           'fvgpt/apis/protocol.py for its fields.')
        self.protocol = protocol
        self.cfg_options = cfg_options or {}
        self.data_root = data_root
        self.log = log
        self.feature_cache = {
            'dir': osp.join(protocol.work_dir, 'feature_cache'),
            **dict(protocol.get('feature_cache') or {}),
            **dict(feature_cache or {})
        }
        #: Images through the image encoder (``run``) and features read from the cache
        #: (``reused``), summed over every stage this object ran.
        self.encoder_passes = dict(run=0, reused=0)
        names = [m['name'] for m in protocol.methods]
        for method in protocol.methods:
            unread = [k for k in self.transfer_only_keys if k in method]
            if unread:
                raise ValueError(f'Method "{method["name"]}" sets {", ".join(unread)}, which only '
                                 'the dg and xd protocols read (source vs targets); use '
                                 'cfg_options here.')
            if method.get('stage1') and method['stage1'] not in names[:names.index(method['name'])]:
                raise ValueError(f'Method "{method["name"]}" needs stage 1 "{method["stage1"]}",'
                                 ' which must be listed before it in `methods`.')

    # ------------------------------------------------------------------ paths
    def run_dir(self, method: str, dataset: str, seed: int) -> str:
        return osp.join(self.protocol.work_dir, method, dataset, f'seed{seed}')

    def seeds_of(self, method: dict) -> List[int]:
        return list(self.protocol.seeds) if method.get('seeded', True) else \
            [self.protocol.seeds[0]]

    # ------------------------------------------------------------------ stages
    def stage_cfg(self, method: dict, dataset: str, seed: int, work_dir: str) -> Config:
        path = method['config'].format(dataset=dataset)
        if not osp.isfile(path):
            raise FileNotFoundError(f'Config of method "{method["name"]}" for dataset '
                                    f'"{dataset}" not found: {path}')
        cfg = Config.fromfile(path)
        cfg.merge_from_dict(dict(method.get('cfg_options', {})))
        cfg.merge_from_dict(dict(self.cfg_options))
        if self.data_root is not None:
            for key in DATALOADERS:
                if cfg.get(key) and 'dataset' in cfg[key]:
                    cfg[key].dataset.data_root = self.data_root
        cfg.work_dir = work_dir
        cfg.experiment_name = f'{method["name"]}_{dataset}_seed{seed}_{time.time_ns()}'
        apply_seed(cfg, seed)
        if method.get('stage1'):
            stage1 = self.run_dir(method['stage1'], dataset, seed)
            if not osp.isfile(osp.join(stage1, 'train_done.json')):
                extra = f' --data-root {self.data_root}' if self.data_root else ''
                raise FileNotFoundError(
                    f'Method "{method["name"]}" starts from stage 1 "{method["stage1"]}" on '
                    f'{dataset}, seed {seed}, which has not finished ({stage1} has no '
                    f'train_done.json). Make it first:\n    python tools/run_protocol.py '
                    f'{self.protocol.filename or "<protocol config>"} --methods '
                    f'{method["stage1"]} --datasets {dataset} --seeds {seed} --work-dir '
                    f'{self.protocol.work_dir}{extra}\n(or run both at once: --methods '
                    f'{method["stage1"]} {method["name"]}).')
            _set_by_key(cfg, method['stage1_key'], self.checkpoint_of(stage1))
        return cfg

    def build_runner(self, cfg: Config) -> Runner:
        """The Runner of a stage, with the protocol's shared feature cache and pass counts."""
        runner = build_runner(cfg)
        runner.register_hook(
            feature_cache_hook(cfg, counts=self.encoder_passes, **self.feature_cache))
        return runner

    def passes_line(self) -> str:
        """The image-encoder passes run and reused by this object's stages, in words."""
        run, reused = self.encoder_passes['run'], self.encoder_passes['reused']
        total = run + reused
        share = f' ({100 * reused / total:.1f}% of {total})' if total else ''
        return (f'Image-encoder passes: {run} run, {reused} reused from the feature cache'
                f'{share}; cache {self.feature_cache["dir"]}.')

    @staticmethod
    def checkpoint_of(run_dir: str) -> str:
        done = osp.join(run_dir, 'train_done.json')
        if not osp.isfile(done):
            raise FileNotFoundError(f'Stage 1 has not finished in {run_dir} '
                                    '(no train_done.json).')
        with open(done) as f:
            return json.load(f)['checkpoint']

    def train(self, method: dict, dataset: str, seed: int) -> Optional[str]:
        run_dir = self.run_dir(method['name'], dataset, seed)
        done = osp.join(run_dir, 'train_done.json')
        if osp.isfile(done):
            self.log(f'[skip] {method["name"]} {dataset} seed{seed}: trained')
            return self.checkpoint_of(run_dir)
        self.log(f'[train] {method["name"]} {dataset} seed{seed} -> {run_dir}')
        cfg = self.stage_cfg(method, dataset, seed, run_dir)
        # an interrupted training resumes from its last checkpoint
        cfg.resume = osp.isfile(osp.join(run_dir, 'last_checkpoint'))
        runner = self.build_runner(cfg)
        start = time.time()
        runner.train()
        ckpt = final_checkpoint(cfg, runner)  # the last epoch's, or the best val epoch's
        dump_json_atomic(dict(checkpoint=ckpt, seconds=round(time.time() - start, 1)), done)
        return ckpt

    def test(self, method: dict, dataset: str, seed: int, split: str,
             checkpoint: Optional[str]) -> float:
        run_dir = self.run_dir(method['name'], dataset, seed)
        out = osp.join(run_dir, f'test_{split}.json')
        if osp.isfile(out):
            with open(out) as f:
                return json.load(f)['accuracy']
        self.log(f'[test] {method["name"]} {dataset} seed{seed} {split}')
        cfg = self.stage_cfg(method, dataset, seed, run_dir)
        cfg.test_dataloader.dataset.subsample = split
        return self.run_test(method, cfg, checkpoint, out, split=split)

    def run_test(self, method: dict, cfg: Config, checkpoint: Optional[str], out: str,
                 **record) -> float:
        """Tests ``checkpoint`` with the stage config ``cfg`` and writes the result file ``out``
        (the method's metric as ``accuracy``, ``record``, the checkpoint and every metric), which
        later calls find and reuse. Every protocol kind tests through this.

        Returns:
            float: the method's metric (``method['metric']``, default ``'accuracy/top1'``).
        """
        cfg.load_from = checkpoint
        cfg.resume = False
        metrics = self.build_runner(cfg).test()
        key = method.get('metric', 'accuracy/top1')
        if key not in metrics:
            raise KeyError(f'The test of {method["name"]} did not report "{key}": {metrics}')
        dump_json_atomic(
            dict(
                accuracy=float(metrics[key]),
                **record,
                checkpoint=checkpoint,
                metrics={
                    k: float(v)
                    for k, v in metrics.items()
                }), out)
        return float(metrics[key])

    # ------------------------------------------------------------------ the whole protocol
    def run(self,
            datasets: Optional[Sequence[str]] = None,
            methods: Optional[Sequence[str]] = None) -> Dict[str, dict]:
        """Runs what is not done yet and returns ``{method: table}`` (:meth:`collect`: B2N
        tables here, few-shot tables in :class:`FewShotProtocol`)."""
        datasets = list(datasets or self.protocol.datasets)
        wanted = [m for m in self.protocol.methods if not methods or m['name'] in methods]
        for dataset in datasets:
            for _ in self.settings():
                for seed in self.protocol.seeds:
                    for method in wanted:
                        if seed not in self.seeds_of(method):
                            continue
                        ckpt = self.train(method, dataset, seed) \
                            if method.get('train', True) else None
                        self.test_trained(method, dataset, seed, ckpt)
        return self.collect(datasets, [m['name'] for m in wanted])

    def settings(self) -> Iterator[None]:
        """Steps through the protocol's settings of a dataset, setting each on ``self`` before
        its runs (B2N has one; the few-shot protocol one per shot count)."""
        yield None

    def test_trained(self, method: dict, dataset: str, seed: int,
                     checkpoint: Optional[str]) -> None:
        """The tests of one trained (or training-free) run: base and new classes."""
        for split in SPLITS:
            self.test(method, dataset, seed, split, checkpoint)

    def format_tables(self, tables: Dict[str, dict]) -> str:
        """The printed form of :meth:`run`'s result, with the published numbers of the methods
        whose entry names a metafile model (``paper='coop_vit-b16_cocoop-paper_b2n'``; metafiles:
        the protocol's ``metafiles`` glob, ``configs/*/metafile.yml`` by default)."""
        papers = published_for(self.protocol.methods,
                               self.protocol.get('metafiles', DEFAULT_METAFILES))
        return format_b2n_tables(tables, papers=papers) + '\n\n' + self.passes_line()

    def collect(self, datasets: Sequence[str], methods: Sequence[str]) -> Dict[str, dict]:
        """The B2N tables of the finished results, written to ``b2n_results.{json,md}``."""
        tables = {}
        for method in self.protocol.methods:
            if method['name'] not in methods:
                continue
            records = []
            for dataset in datasets:
                for seed in self.seeds_of(method):
                    rec = dict(dataset=dataset, seed=seed)
                    for split in SPLITS:
                        path = osp.join(
                            self.run_dir(method['name'], dataset, seed), f'test_{split}.json')
                        if osp.isfile(path):
                            with open(path) as f:
                                rec[split] = json.load(f)['accuracy']
                    records.append(rec)
            tables[method['name']] = aggregate_b2n(records)
        dump_json_atomic(tables, osp.join(self.protocol.work_dir, 'b2n_results.json'))
        with open(osp.join(self.protocol.work_dir, 'b2n_results.md'), 'w') as f:
            f.write(self.format_tables(tables) + '\n')
        return tables


def build_protocol(protocol: Config, **kwargs) -> 'B2NProtocol':
    """The runner of a protocol config by its ``kind``: ``'b2n'`` (default), ``'dg'``, ``'xd'``
    or ``'fewshot'``. Keyword arguments go to the runner (``cfg_options``, ``data_root``,
    ``log``)."""
    from .few_shot_protocol import FewShotProtocol
    from .transfer_protocol import TransferProtocol
    kinds = dict(b2n=B2NProtocol, dg=TransferProtocol, xd=TransferProtocol, fewshot=FewShotProtocol)
    kind = protocol.get('kind', 'b2n')
    if kind not in kinds:
        raise ValueError(f'Unknown protocol kind "{kind}": use one of {", ".join(kinds)}.')
    return kinds[kind](protocol, **kwargs)
