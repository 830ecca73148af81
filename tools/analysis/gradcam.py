"""Attention maps of several models on the same test images: the paper's Fig. 1 grid.

    python tools/analysis/gradcam.py CONFIG CKPT [CONFIG CKPT ...] [--images 0 7 12 | PATH ...]
        [--num-images 6] [--split base] [--method gradcam|cls_attention] [--names A B ...]
        [--mask-root DIR] [--work-dir work_dirs/analysis/gradcam] [--cfg-options key=value ...]

Each model is a config and a checkpoint (a file, a work dir with ``last_checkpoint``, or
``none`` for zero-shot CLIP). FVG-PT checkpoints hold the heads only: its config (e.g. the one
mmengine saved in the stage-2 work dir) names the stage-1 checkpoint in
``model.backbone_ckpt``. The images are test images of the split (indices into it, or paths
ending like the dataset's image paths; by default ``--num-images`` spread over the split), with
their foreground masks (the dataset's mask folder, or ``--mask-root``). Rows are images, columns
are models: each map (Grad-CAM of the predicted class, through the branch that scores the split
for FVG-PT) over the image, with the predicted class, right or wrong, the mask outline and the
share of the map outside the mask. Writes ``gradcam_grid.png`` and ``gradcam.json``.
"""
import argparse
import json
import os
import os.path as osp
from typing import List

import numpy as np
from mmengine.config import Config, DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('models', nargs='+', metavar='CONFIG CKPT',
                        help='pairs of config and checkpoint ("none" for zero-shot CLIP)')
    parser.add_argument('--images', nargs='+', help='test images: indices into the split, or '
                        'paths (the end of the image path is enough)')
    parser.add_argument('--num-images', type=int, default=6,
                        help='without --images, this many images spread over the split')
    parser.add_argument('--split', default='base', choices=['base', 'new', 'all'])
    parser.add_argument('--method', default='gradcam', choices=['gradcam', 'cls_attention'])
    parser.add_argument('--names', nargs='+', help='column titles (default: config names)')
    parser.add_argument('--mask-root', help='folder of the test masks (default: the config\'s)')
    parser.add_argument('--work-dir', default='work_dirs/analysis/gradcam')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='merged into every config (e.g. test_dataloader.dataset.data_root)')
    return parser.parse_args()


def select_images(dataset, images, num_images: int) -> List[int]:
    """Indices of the chosen images in ``dataset``."""
    if not images:
        return sorted(set(np.linspace(0, len(dataset) - 1, min(num_images, len(dataset)))
                          .round().astype(int).tolist()))
    paths = [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]
    indices = []
    for image in images:
        if image.isdigit():
            if int(image) >= len(dataset):
                raise IndexError(f'--images {image}: the split has {len(dataset)} images.')
            indices.append(int(image))
            continue
        hits = [i for i, p in enumerate(paths) if p.endswith(image.lstrip('./'))]
        if len(hits) != 1:
            raise ValueError(f'--images {image}: {"no" if not hits else len(hits)} test image '
                             f'paths of the split end with it (e.g. {paths[0]}).')
        indices.append(hits[0])
    return indices


def main() -> None:
    args = parse_args()
    if len(args.models) % 2:
        raise SystemExit('Give the models as CONFIG CKPT pairs ("none" as CKPT for zero-shot '
                         f'CLIP); got {len(args.models)} arguments.')
    from fvgpt.analysis import (AttentionMapper, build_mask_dataset, load_analysis_model,
                                outside_shares, plot_gradcam_grid, set_class_list_from,
                                split_batch)
    from fvgpt.analysis.analysis_data import batches
    from fvgpt.utils import register_all_modules, register_safe_globals
    register_all_modules()
    register_safe_globals()
    pairs = list(zip(args.models[::2], args.models[1::2]))
    names = args.names or [osp.splitext(osp.basename(c))[0] for c, _ in pairs]
    if len(names) != len(pairs):
        raise SystemExit(f'--names gives {len(names)} names for {len(pairs)} models.')
    columns, reference = [], None
    for (config, ckpt), name in zip(pairs, names):
        cfg = Config.fromfile(config)
        if args.cfg_options:
            cfg.merge_from_dict(args.cfg_options)
        dataset = build_mask_dataset(cfg, args.split, args.mask_root)
        if reference is None:
            indices = select_images(dataset, args.images, args.num_images)
            reference = [dataset.get_data_info(i)['img_path'] for i in indices]
        elif [dataset.get_data_info(i)['img_path'] for i in indices] != reference:
            raise ValueError(f'{config} reads other test images than {pairs[0][0]}: the models '
                             'must be compared on the same dataset and split.')
        model = load_analysis_model(cfg, ckpt, args.device)
        set_class_list_from(model, dataset)
        batch = split_batch(model, next(batches(dataset, len(indices), indices)))
        out = AttentionMapper(model, method=args.method)(batch['inputs'])
        classes = dataset.metainfo['classes']
        columns.append(dict(
            name=name, config=config, checkpoint=ckpt, scored_by=out.scored_by,
            maps=out.maps.cpu().numpy(),
            preds=[classes[p] for p in out.preds.tolist()],
            correct=(out.preds.cpu() == batch['labels'].cpu()).tolist(),
            shares=outside_shares(out.maps.cpu(), batch['masks'], batch['valid'])))
        print(f'{name}: {sum(columns[-1]["correct"])}/{len(indices)} right '
              f'(scored by {out.scored_by})', flush=True)
    labels = [classes[int(y)] for y in batch['labels'].tolist()]
    os.makedirs(args.work_dir, exist_ok=True)
    png = plot_gradcam_grid(
        batch['images'], batch['masks'].numpy(), [c['maps'] for c in columns], names,
        [c['preds'] for c in columns], [c['correct'] for c in columns], labels,
        osp.join(args.work_dir, 'gradcam_grid.png'), shares=[c['shares'] for c in columns],
        title=f'{args.method} on {args.split} test images')
    result = dict(method=args.method, split=args.split, images=[
        dict(path=path, label=label, mask_valid=bool(valid), models={
            c['name']: dict(pred=c['preds'][i], correct=bool(c['correct'][i]),
                            outside_share=c['shares'][i]) for c in columns})
        for i, (path, label, valid) in enumerate(zip(reference, labels, batch['valid']))],
        models=[{k: c[k] for k in ('name', 'config', 'checkpoint', 'scored_by')}
                for c in columns])
    out_json = osp.join(args.work_dir, 'gradcam.json')
    with open(out_json, 'w') as f:
        json.dump(result, f, indent=2)
    print(f'Saved to {png} and {out_json}')


if __name__ == '__main__':
    main()
