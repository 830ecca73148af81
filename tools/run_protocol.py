"""Runs a whole base-to-new protocol (every method, dataset and seed), resumably, and prints
and saves the B2N table.

    python tools/run_protocol.py configs/protocols/b2n_coop_fvgpt.py --data-root $DATA \
        [--datasets dtd eurosat] [--seeds 1 2 3] [--methods coop fvgpt] [--work-dir DIR] \
        [--cfg-options key=value ...]

A second call skips what is done (see fvgpt/apis/protocol.py for the files it leaves).
"""
import argparse
import os

from mmengine.config import Config, DictAction

from fvgpt.analysis import plot_b2n
from fvgpt.apis import B2NProtocol
from fvgpt.apis.sweep import B2NSweep
from fvgpt.evaluation import format_b2n_tables
from fvgpt.utils import register_all_modules, register_safe_globals


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Run a base-to-new protocol')
    parser.add_argument('protocol', help='protocol config (configs/protocols/*.py)')
    parser.add_argument('--data-root', help="data_root of every dataset (CoOp's $DATA)")
    parser.add_argument('--datasets', nargs='+', help='a subset of the protocol\'s datasets')
    parser.add_argument('--seeds', nargs='+', type=int, help='override the seeds')
    parser.add_argument('--methods', nargs='+', help='a subset of the methods (stage 1 of a '
                        'listed method must be done or listed too)')
    parser.add_argument('--work-dir', help='override the protocol work_dir')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='merged into every stage config')
    parser.add_argument('--sweep', metavar='KEY=V1,V2,...', help='run the protocol once per '
                        'value of a config key (fvgpt/apis/sweep.py), e.g. '
                        'model.base_head.loss_dist.loss_weight=0,1,5,10,20')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    register_all_modules()
    register_safe_globals()
    protocol = Config.fromfile(args.protocol)
    if args.seeds:
        protocol.seeds = args.seeds
    if args.work_dir:
        protocol.work_dir = args.work_dir
    if args.sweep:
        sweep = B2NSweep.from_spec(protocol, args.sweep, cfg_options=args.cfg_options,
                                   data_root=args.data_root)
        print('Saved to', *sweep.run(datasets=args.datasets, methods=args.methods)['paths'])
        return
    runner = B2NProtocol(protocol, cfg_options=args.cfg_options, data_root=args.data_root)
    tables = runner.run(datasets=args.datasets, methods=args.methods)
    print(format_b2n_tables(tables))
    print()
    bars = plot_b2n(tables, os.path.join(protocol.work_dir, 'b2n_results.png'))
    print(f'Saved to {protocol.work_dir}/b2n_results.{{json,md}} and {bars}')


if __name__ == '__main__':
    main()
