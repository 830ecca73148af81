"""Look at what a config's data pipeline feeds the model, as mmpretrain's browse_dataset.py.

    python tools/visualization/browse_dataset.py CONFIG [--phase train|val|test]
        [--output-dir DIR] [-n N] [--cols C] [--panel-size PX] [--seed S]
        [--data-root DIR] [--cfg-options key=value ...]

Writes one grid PNG of N samples (evenly spaced over the dataset) after the pipeline, and a JSON
file beside it with each sample's path, label and mask figures. For FVG-PT configs (the train
pipeline packs a foreground mask and view), each tile shows the transformed image with the mask's
outline, the foreground view beside it, the mask's area fraction and whether the model's area rule
(``area_min`` / ``area_max`` of the config's model) counts it as reliable: outline and caption
green if so, red if not. Other configs show the transformed image and its label.
"""
import argparse
import inspect
import json
import os
import os.path as osp
import sys
from typing import Dict, List, Optional

import numpy as np
from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope
from mmengine.runner import set_random_seed
from PIL import Image

from fvgpt.models.fvgpt.functional import reliable_masks
from fvgpt.registry import DATASETS
from fvgpt.setup_env import register_all_modules
from fvgpt.utils.seed import apply_seed
from fvgpt.visualization import draw_tile, make_grid, sample_view

RULE_KEYS = ('area_min', 'area_max')
# What the rule uses for a bound the model config leaves out.
RULE_DEFAULTS = {k: inspect.signature(reliable_masks).parameters[k].default for k in RULE_KEYS}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--phase',
        choices=['train', 'val', 'test'],
        default='train',
        help='whose dataloader to browse (default: train)')
    parser.add_argument(
        '--output-dir',
        default='work_dirs/browse_dataset',
        help='folder of the PNG (default: work_dirs/browse_dataset)')
    parser.add_argument(
        '-n', '--num-samples', type=int, default=12, help='samples in the grid (default: 12)')
    parser.add_argument('--cols', type=int, default=4, help='tiles per row (default: 4)')
    parser.add_argument(
        '--panel-size',
        type=int,
        default=160,
        help='side of each image panel in pixels (default: 160)')
    parser.add_argument(
        '--seed',
        type=int,
        default=None,
        help="as tools/train.py's: the few-shot draw and the random "
        "augmentations (default: the config's randomness.seed)")
    parser.add_argument(
        '--data-root',
        default=None,
        help="data_root of the browsed dataset (default: the config's)")
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='override config settings, key=value')
    args = parser.parse_args(argv)
    if args.num_samples < 1 or args.cols < 1 or args.panel_size < 16:
        parser.error('-n and --cols must be >= 1, --panel-size >= 16.')
    return args


def find_area_rule(model_cfg) -> Dict[str, float]:
    """``area_min`` / ``area_max`` wherever the model config sets them (FVG-PT's gate).

    Raises:
        ValueError: when two parts of the model set different values.
    """
    found: Dict[str, set] = {k: set() for k in RULE_KEYS}

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in RULE_KEYS:
                    found[key].add(float(value))
                else:
                    walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(model_cfg or {})
    for key, values in found.items():
        if len(values) > 1:
            raise ValueError(f'The model config sets {key} to several values {sorted(values)}: '
                             'which one the mask rule uses is ambiguous.')
    return {key: values.pop() for key, values in found.items() if values}


def pick_indices(length: int, num: int) -> List[int]:
    """``num`` indices spread evenly over ``range(length)`` (all of them if fewer)."""
    if num >= length:
        return list(range(length))
    return sorted({int(round(i)) for i in np.linspace(0, length - 1, num)})


def output_name(config: str, phase: str) -> str:
    """``<folder>_<config name>_<phase>.png`` (the folder is left out when the name starts with
    it): configs/fvgpt/coop_b2n_dtd.py and configs/coop/coop_b2n_dtd.py do not collide."""
    stem = osp.splitext(osp.basename(config))[0]
    folder = osp.basename(osp.dirname(osp.abspath(config)))
    name = stem if not folder or stem.startswith(folder) else f'{folder}_{stem}'
    return f'{name}_{phase}.png'


def main(argv=None) -> Optional[str]:
    args = parse_args(argv)
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    apply_seed(cfg, args.seed)
    loader = cfg.get(f'{args.phase}_dataloader')
    if not loader or not loader.get('dataset'):
        raise KeyError(f'{args.config} has no {args.phase}_dataloader.dataset (zero-shot '
                       'configs have no training data): choose another --phase.')
    dataset_cfg = loader.dataset
    if args.data_root is not None:
        dataset_cfg.data_root = args.data_root
    set_random_seed(cfg.get('randomness', {}).get('seed') or 0)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'fvgpt')):
        dataset = DATASETS.build(dataset_cfg)
    if len(dataset) == 0:
        raise ValueError(f'The {args.phase} dataset of {args.config} is empty.')
    classes = dataset.metainfo.get('classes')
    area_rule = find_area_rule(cfg.get('model'))

    indices = pick_indices(len(dataset), args.num_samples)
    views, records = [], []
    for index in indices:
        view = sample_view(dataset[index], classes, area_rule)
        views.append(view)
        info = dataset.get_data_info(index)
        records.append(dict(index=index, img_path=info.get('img_path'), **view.record()))
    with_mask = any(v.has_mask for v in views)
    if with_mask and not all(v.has_mask for v in views):
        raise ValueError('Some samples of the pipeline carry a foreground mask and others not.')

    rule = ''
    if with_mask:
        low, high = (area_rule.get(k, RULE_DEFAULTS[k]) for k in RULE_KEYS)
        rule = f'; reliable mask: area in [{low:g}, {high:g}]'
    title = (f'{args.config} | {args.phase} pipeline | {len(views)} of {len(dataset)} '
             f'samples{rule}')
    grid = make_grid([draw_tile(v, args.panel_size) for v in views], args.cols, title)
    os.makedirs(args.output_dir, exist_ok=True)
    out = osp.join(args.output_dir, output_name(args.config, args.phase))
    Image.fromarray(grid).save(out)
    with open(osp.splitext(out)[0] + '.json', 'w') as f:
        json.dump(
            dict(config=args.config, phase=args.phase, area_rule=area_rule, samples=records),
            f,
            indent=1)

    print(f'{len(views)} of {len(dataset)} {args.phase} samples -> {out} '
          f'({grid.shape[1]}x{grid.shape[0]} px)')
    if with_mask:
        unreliable = [r for r in records if not r['reliable']]
        print(f'masks: {len(views) - len(unreliable)} reliable, {len(unreliable)} unreliable'
              f'{rule}')
        for r in unreliable:
            state = f"area {r['area']:.3f}" if r['valid'] else 'missing mask'
            print(f"  unreliable: #{r['index']} {r['img_path']} ({state})")
    return out


if __name__ == '__main__':
    main(sys.argv[1:])
