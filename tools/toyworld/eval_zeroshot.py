"""Zero-shot accuracy of ToyCLIP (or another open_clip checkpoint of the ToyCLIP config) on a
toy-world split, over all classes and in the base-to-new protocol.

    python tools/toyworld/eval_zeroshot.py                               # shipped weights, test
    python tools/toyworld/eval_zeroshot.py --data-root data              # read the written world
    python tools/toyworld/eval_zeroshot.py --checkpoint none             # random weights (chance)

Without ``--data-root`` the default world's split is rendered in memory (pixel-identical to what
tools/toyworld/generate.py writes).
"""
import argparse
import json
import os.path as osp

import numpy as np
import torch
from PIL import Image

from fvgpt.toyworld import (TOYCLIP_CHECKPOINT, TOYWORLD_INFO, ToyWorld, ToyWorldConfig,
                            load_toyclip, zeroshot_predict, zeroshot_report)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--checkpoint', default=osp.relpath(TOYCLIP_CHECKPOINT),
                        help='state-dict file, or "none" for random weights')
    parser.add_argument('--data-root', default=None,
                        help='read <data-root>/toyworld (default: render the default world)')
    parser.add_argument('--dataset-dir', default=TOYWORLD_INFO['dataset_dir'])
    parser.add_argument('--split', default='test', choices=['train', 'val', 'test'])
    parser.add_argument('--template', default=TOYWORLD_INFO['template'])
    parser.add_argument('--per-class', action='store_true', help='also print per-class accuracy')
    parser.add_argument('--seed', type=int, default=0, help='torch seed for --checkpoint none')
    return parser.parse_args()


def read_split(root: str, split: str):
    """Images, labels and class names of a written world's split file."""
    path = osp.join(root, TOYWORLD_INFO['split_file'])
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} not found: generate the world with '
                                f'`python tools/toyworld/generate.py --data-root ...`.')
    with open(path) as f:
        items = json.load(f)[split]
    names = {}
    for _, label, name in items:
        names[label] = name
    classes = [names[i] for i in range(len(names))]
    image_dir = osp.join(root, TOYWORLD_INFO['image_dir'])
    images = np.stack([np.asarray(Image.open(osp.join(image_dir, rel)).convert('RGB'))
                       for rel, _, _ in items])
    return images, np.asarray([label for _, label, _ in items]), classes


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    checkpoint = None if args.checkpoint.lower() == 'none' else args.checkpoint
    model = load_toyclip(checkpoint)
    world = ToyWorld(ToyWorldConfig())
    if args.data_root:
        images, labels, classes = read_split(osp.join(args.data_root, args.dataset_dir),
                                             args.split)
        num_base = (len(classes) + 1) // 2
    else:
        images, labels = world.render_split(args.split)
        classes, num_base = list(world.classes), world.num_base
    acc = zeroshot_report(model, images, labels, classes, num_base, args.template)
    print(f'ToyCLIP zero-shot, {args.split} split, {len(labels)} images, {len(classes)} classes '
          f'({num_base} base), template "{args.template}", checkpoint {checkpoint}')
    print(f'  all-class accuracy {acc["all"]:.2f}% (chance {100 / len(classes):.2f}%)')
    print(f'  B2N: base {acc["base"]:.2f}%  new {acc["new"]:.2f}%  HM {acc.get("hm", 0):.2f}%')
    if args.per_class:
        pred = zeroshot_predict(model, images, classes, args.template)
        for label, name in enumerate(classes):
            keep = labels == label
            print(f'  {label:3d} {name:20s} {100 * (pred[keep] == label).mean():6.1f}%')


if __name__ == '__main__':
    main()
