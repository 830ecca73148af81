"""FVG-PT's gates per image on the images they were trained on: why FVG-PT wins or loses.

    python tools/analysis/gate_report.py CONFIG CHECKPOINT [--split train|val|test]
        [--mask-root DIR] [--reference-mask-root DIR | --toyworld-exact-masks]
        [--data-root DIR] [--work-dir work_dirs/analysis/gate_report] [--batch-size 32]
        [--cfg-options key=value ...]

CONFIG is an FVG-PT config, CHECKPOINT its checkpoint or work dir. The base classes of the
split (default: the training set, its few-shot draw) go through the test pipeline's resize and
center crop, with the foreground view made by the training pipeline's ``ForegroundView`` from
the masks FVG-PT trained with (the training set's ``mask_root``, or ``--mask-root``). Per image:
the foreground reliability gate ``r``, its target ``r*`` (the model's gate supervision),
whether the area rule trusts the mask, the backbone reliability gate ``b``, and whether the
full view (``z_full``), the foreground view (``z_fg``), the base branch (``z_fdc``) and the new
branch (``z_pc``) predict the label. With ``--reference-mask-root`` (a mask folder laid out as
the dataset's) or ``--toyworld-exact-masks`` (the toy world's exact masks, re-rendered by its
generator: its written ``mask/`` holds degraded train masks) each training mask's IoU too,
and the summary per IoU bucket (right >= 0.75, middling, wrong < 0.5).

Prints the summary and writes ``gate_report.json`` (settings, summary, rows) to the work dir.
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import Config, DictAction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='an FVG-PT config')
    parser.add_argument('checkpoint', help='its checkpoint file or work dir')
    parser.add_argument('--split', default='train', choices=['train', 'val', 'test'])
    parser.add_argument(
        '--mask-root', help="the training masks' folder (default: the training set's mask_root)")
    reference = parser.add_mutually_exclusive_group()
    reference.add_argument('--reference-mask-root', help='masks to score the training masks by')
    reference.add_argument(
        '--toyworld-exact-masks',
        action='store_true',
        help="score the training masks by the toy world generator's exact masks")
    parser.add_argument(
        '--data-root', help="replaces the data_root of the config's train, val and test sets")
    parser.add_argument('--work-dir', default='work_dirs/analysis/gate_report')
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, help='merged into CONFIG')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    from mmengine.registry import DATASETS

    from fvgpt.analysis import (foreground_view_dataset_cfg, format_gate_summary, gate_rows,
                                load_analysis_model, mask_folder_reader, set_class_list_from,
                                summarize_gate_rows)
    from fvgpt.setup_env import register_all_modules
    from fvgpt.utils.cli import propagate_data_root
    register_all_modules()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.data_root:
        cfg.data_root = args.data_root
        propagate_data_root(cfg)  # every dataloader's dataset, wrapped ones too
    dataset = DATASETS.build(foreground_view_dataset_cfg(cfg, args.split, args.mask_root))
    model = load_analysis_model(cfg, args.checkpoint, args.device)
    set_class_list_from(model, dataset)
    reference, reference_name = None, None
    if args.reference_mask_root:
        reference = mask_folder_reader(dataset, args.reference_mask_root)
        reference_name = args.reference_mask_root
    elif args.toyworld_exact_masks:
        from fvgpt.toyworld import exact_mask_reader
        reference = exact_mask_reader(dataset.dataset_root)
        reference_name = 'toy world generator (exact masks)'
    rows = gate_rows(model, dataset, reference, args.batch_size)
    summary = summarize_gate_rows(rows)
    head = model.base_head
    settings = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        split=args.split,
        classes='base',
        mask_root=dataset.mask_root,
        reference=reference_name,
        lambda_d=head.loss_dist.loss_weight,
        tau_d=head.loss_dist.tau,
        dist_mode=head.loss_dist.dist_mode,
        lambda_rg=head.loss_gate.loss_weight,
        delta=head.loss_gate.delta,
        area_range=[head.gate.area_min, head.gate.area_max])
    os.makedirs(args.work_dir, exist_ok=True)
    out = osp.join(args.work_dir, 'gate_report.json')
    with open(out, 'w') as f:
        json.dump(dict(settings=settings, summary=summary, rows=rows), f, indent=1)
    print(f'\nFVG-PT gates on {len(rows)} {args.split} images of the base classes; masks '
          f'{dataset.mask_root}' + (f', IoU against {reference_name}' if reference else ''))
    print(f'lambda_d {settings["lambda_d"]:g} ({settings["dist_mode"]}, tau_d '
          f'{settings["tau_d"]:g}), lambda_rg {settings["lambda_rg"]:g}, delta '
          f'{settings["delta"]:g}, area rule {settings["area_range"]}')
    print('reliable: share of masks the area rule trusts; r* = 1: share where the foreground '
          'view has the lower CE; agree: (r >= 0.5) == r* on reliable masks; auc: chance that r '
          'ranks an r* = 1 image above an r* = 0 one (0.5: no separation); ->fg: share where '
          'z_fdc is closer (KL) to the foreground teacher; acc: top-1 % of z_full, z_fg, z_fdc, '
          'z_pc')
    print(format_gate_summary(summary))
    print(f'Saved to {out}')


if __name__ == '__main__':
    main()
