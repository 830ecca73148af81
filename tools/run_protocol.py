"""Runs a whole protocol (every method, dataset and seed), resumably, and prints and saves its
table: base-to-new, domain generalization (kind='dg'), cross-dataset ('xd') or few-shot
('fewshot'), by the protocol config's `kind`.

    python tools/run_protocol.py configs/protocols/b2n_coop_fvgpt.py --data-root $DATA \
        [--datasets dtd eurosat] [--seeds 1 2 3] [--methods coop fvgpt] [--work-dir DIR] \
        [--cfg-options key=value ...] [--feature-cache test|all|off] [--feature-cache-dir DIR]

A second call skips what is done (see fvgpt/apis/protocol.py for the files it leaves).
"""
import argparse
import os

from mmengine.config import Config, DictAction

from fvgpt.analysis import plot_b2n
from fvgpt.apis import build_protocol
from fvgpt.apis.sweep import B2NSweep
from fvgpt.setup_env import register_all_modules


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Run a protocol (B2N, DG, cross-dataset, few-shot)')
    parser.add_argument('protocol', help='protocol config (configs/protocols/*.py)')
    parser.add_argument('--data-root', help="data_root of every dataset (CoOp's $DATA)")
    parser.add_argument(
        '--datasets',
        nargs='+',
        help="a subset of the protocol's datasets (dg / xd: of its targets)")
    parser.add_argument('--seeds', nargs='+', type=int, help='override the seeds')
    parser.add_argument(
        '--methods',
        nargs='+',
        help='a subset of the methods (stage 1 of a '
        'listed method must be done or listed too)')
    parser.add_argument('--work-dir', help='override the protocol work_dir')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='merged into every stage config')
    parser.add_argument(
        '--feature-cache',
        choices=['test', 'all', 'off'],
        default=None,
        help='the frozen CLIP image feature cache shared by every stage: test (the default: '
        'validation and testing), all (training too, where its pipeline is deterministic) or off')
    parser.add_argument('--feature-cache-dir', help='default: <work dir>/feature_cache')
    parser.add_argument(
        '--sweep',
        metavar='KEY=V1,V2,...',
        help='run the protocol once per '
        'value of a config key (fvgpt/apis/sweep.py), e.g. '
        'model.base_head.loss_dist.loss_weight=0,1,5,10,20')
    return parser.parse_args()


def feature_cache_settings(mode, folder) -> dict:
    """``--feature-cache`` and ``--feature-cache-dir`` as the protocol's ``feature_cache``."""
    settings = dict(
        test=dict(test=True), all=dict(test=True, train=True), off=dict(test=False,
                                                                        train=False)).get(mode, {})
    return dict(settings, dir=folder) if folder else settings


def main() -> None:
    args = parse_args()
    register_all_modules()
    protocol = Config.fromfile(args.protocol)
    if args.seeds:
        protocol.seeds = args.seeds
    if args.work_dir:
        protocol.work_dir = args.work_dir
    if args.sweep:
        sweep = B2NSweep.from_spec(
            protocol, args.sweep, cfg_options=args.cfg_options, data_root=args.data_root)
        print('Saved to', *sweep.run(datasets=args.datasets, methods=args.methods)['paths'])
        return
    runner = build_protocol(
        protocol,
        cfg_options=args.cfg_options,
        data_root=args.data_root,
        feature_cache=feature_cache_settings(args.feature_cache, args.feature_cache_dir))
    tables = runner.run(datasets=args.datasets, methods=args.methods)
    text = runner.format_tables(tables)
    print(text)
    if runner.passes_line() not in text:  # kinds whose tables do not end with it
        print(runner.passes_line())
    print()
    saved = f'{protocol.work_dir}/{runner.kind}_results.{{json,md}}'
    if runner.kind == 'b2n':  # the B2N bars per dataset and method
        saved += ' and ' + plot_b2n(tables, os.path.join(protocol.work_dir, 'b2n_results.png'))
    print(f'Saved to {saved}')


if __name__ == '__main__':
    main()
