"""Pretrains ToyCLIP, the small CLIP of the toy world, on the CPU and saves its weights.

    python tools/toyworld/pretrain_clip.py                  # writes checkpoints/toyclip_vit_t8.pt
    python tools/toyworld/pretrain_clip.py --steps 300 --out work_dirs/toyclip_try.pt

Seeded and reproducible (same seed, same torch version and thread count: same weights). The
images come from the toy world's 'pretrain' stream, disjoint from the benchmark splits. The
weights are saved as an fp16 state dict that ``fvgpt.models.OpenCLIP('toyclip-vit-t8',
pretrained=<file>)`` loads, with a JSON summary next to it (recipe, time, zero-shot accuracy on
the benchmark test split, size, sha256). The zero-shot B2N figures of the demo come from
``configs/zsclip/zsclip_b2n_toyworld.py`` through ``tools/test.py``, like every other method.
"""
import argparse
import dataclasses
import hashlib
import json
import os
import os.path as osp

from fvgpt.toyworld import (TOYCLIP_CHECKPOINT, PretrainConfig, ToyWorld, ToyWorldConfig,
                            build_toyclip, pretrain_toyclip, save_state_dict, zeroshot_accuracy)


def parse_args() -> argparse.Namespace:
    defaults = PretrainConfig()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--out',
        default=osp.relpath(TOYCLIP_CHECKPOINT),
        help='output state-dict file (default: checkpoints/toyclip_vit_t8.pt)')
    parser.add_argument('--fp32', action='store_true', help='save fp32 instead of fp16 weights')
    for field in dataclasses.fields(PretrainConfig):
        value = getattr(defaults, field.name)
        parser.add_argument(
            '--' + field.name.replace('_', '-'),
            type=type(value),
            default=value,
            help=f'default: {value}')
    return parser.parse_args()


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> None:
    args = parse_args()
    cfg = PretrainConfig(
        **{f.name: getattr(args, f.name)
           for f in dataclasses.fields(PretrainConfig)})
    print(f'[pretrain] recipe: {json.dumps(dataclasses.asdict(cfg))}')
    clip, summary = pretrain_toyclip(cfg)

    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    save_state_dict(clip.model, args.out, half=not args.fp32)
    # Evaluate the file as users load it (fp16 weights through the OpenCLIP wrapper), on the
    # downstream (benchmark) world, whose looks differ from the pretraining world's.
    loaded = build_toyclip(args.out)
    world = ToyWorld(ToyWorldConfig())
    images, labels = world.render_split('test')
    acc = zeroshot_accuracy(loaded, images, labels, world.classes, world.num_base)
    size = osp.getsize(args.out)
    summary.update(
        checkpoint=osp.basename(args.out),
        bytes=size,
        sha256=sha256(args.out),
        dtype='float32' if args.fp32 else 'float16',
        benchmark_test_zeroshot=dict(
            template='a photo of a {}.',
            world=ToyWorldConfig().to_dict(),
            images=len(labels),
            **{
                k: round(v, 2)
                for k, v in acc.items()
            }))
    meta_path = osp.splitext(args.out)[0] + '.json'
    with open(meta_path, 'w') as f:
        json.dump(summary, f, indent=1)
    print(f'[pretrain] saved {args.out} ({size / 2**20:.2f} MiB) and {meta_path}')
    print(f'[pretrain] zero-shot on the benchmark test split ({len(labels)} images, chance '
          f'{100 / world.num_classes:.1f}%): all {acc["all"]:.1f}%  base {acc["base"]:.1f}%  '
          f'new {acc["new"]:.1f}%  HM {acc["hm"]:.1f}%')
    print(f'[pretrain] training took {summary["train_seconds"]:.0f}s '
          f'({summary["total_seconds"]:.0f}s with data)')


if __name__ == '__main__':
    main()
