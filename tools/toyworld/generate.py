"""Generates the toy world in CoOp's dataset layout.

    python tools/toyworld/generate.py                        # the default world in data/toyworld
    python tools/toyworld/generate.py --data-root data --spurious-corr 0 --degraded-mask-ratio 0

Unset options take the defaults of ``fvgpt.toyworld.ToyWorldConfig``. A world with the same
config that is already there is left as it is.
"""
import argparse
import dataclasses
import json
import os.path as osp
import time

from fvgpt.toyworld import TOYWORLD_INFO, ToyWorld, ToyWorldConfig, write_toyworld


def parse_args() -> argparse.Namespace:
    defaults = ToyWorldConfig()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data-root', default='data', help='data root (default: data)')
    parser.add_argument(
        '--dataset-dir',
        default=TOYWORLD_INFO['dataset_dir'],
        help='folder of the world under the data root (default: toyworld)')
    for field in dataclasses.fields(ToyWorldConfig):
        value = getattr(defaults, field.name)
        flag = '--' + field.name.replace('_', '-')
        if isinstance(value, tuple):
            kind = float if isinstance(value[0], float) else str
            parser.add_argument(
                flag,
                nargs='+',
                type=kind,
                default=None,
                help=f'default: {" ".join(map(str, value))}')
        else:
            parser.add_argument(flag, type=type(value), default=None, help=f'default: {value}')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace a world generated with another config')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    overrides = {
        f.name: getattr(args, f.name)
        for f in dataclasses.fields(ToyWorldConfig) if getattr(args, f.name) is not None
    }
    overrides = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    config = ToyWorldConfig(**overrides)
    world = ToyWorld(config)
    print(f'[toyworld] {world.num_classes} classes ({world.num_base} base): '
          f'{", ".join(world.classes)}')
    print(f'[toyworld] config: {json.dumps(config.to_dict())}')
    start = time.time()
    root = write_toyworld(
        args.data_root, config, dataset_dir=args.dataset_dir, overwrite=args.overwrite)
    print(f'[toyworld] done in {time.time() - start:.1f}s: '
          f'{osp.join(root, TOYWORLD_INFO["split_file"])}')


if __name__ == '__main__':
    main()
