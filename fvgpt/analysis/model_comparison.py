"""Several models' attention maps on the same test images: the grid and its numbers."""
import json
import os
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
from mmengine.config import Config

from .analysis_data import batches, build_mask_dataset, shared_mask_root, split_batch
from .attention_mapper import AttentionMapper
from .gradcam_grid import plot_gradcam_grid
from .model_loading import load_analysis_model, set_class_list_from
from .shift_index import outside_shares


def select_images(dataset, images: Optional[Sequence[str]], num_images: int) -> List[int]:
    """Indices of the chosen images: ``images`` (indices into the split, or paths the image
    paths end with), else ``num_images`` spread evenly over the split."""
    if not images:
        return sorted(
            set(
                np.linspace(0,
                            len(dataset) - 1, min(num_images,
                                                  len(dataset))).round().astype(int).tolist()))
    paths = [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]
    indices = []
    for image in map(str, images):
        if image.isdigit():
            if int(image) >= len(dataset):
                raise IndexError(f'Image {image}: the split has {len(dataset)} images.')
            indices.append(int(image))
            continue
        hits = [i for i, p in enumerate(paths) if p.endswith(image.lstrip('./'))]
        if len(hits) != 1:
            raise ValueError(f'Image {image}: {"no" if not hits else len(hits)} test image '
                             f'paths of the split end with it (e.g. {paths[0]}).')
        indices.append(hits[0])
    return indices


def compare_models(models: Sequence[dict],
                   out_dir: str,
                   images: Optional[Sequence] = None,
                   num_images: int = 6,
                   split: str = 'base',
                   method: str = 'gradcam',
                   mask_root: Optional[str] = None,
                   device: str = 'cpu',
                   title: Optional[str] = None,
                   log=print) -> dict:
    """Maps of every model on the same test images; writes ``gradcam_grid.png`` and
    ``gradcam.json`` into ``out_dir``.

    Args:
        models (Sequence[dict]): ``dict(name, cfg (Config), checkpoint)`` per column.
        out_dir (str): where the files go.
        images (Sequence, optional): see :func:`select_images`.
        num_images (int): images when ``images`` is not given. Defaults to 6.
        split (str): ``'base'``, ``'new'`` or ``'all'`` classes of the test split.
        method (str): ``'gradcam'`` or ``'cls_attention'``.
        mask_root (str, optional): the test masks' folder, the same for every model (default:
            :func:`shared_mask_root` of the models' configs).
        device (str): where the models run.
        title (str, optional): the figure's title.
        log (callable): where per-model lines go.

    Returns:
        dict: the JSON's content and ``paths`` (the PNG and the JSON).
    """
    columns, reference, indices = [], None, None
    mask_root = shared_mask_root([spec['cfg'] for spec in models], mask_root)
    for spec in models:
        cfg: Config = spec['cfg']
        dataset = build_mask_dataset(cfg, split, mask_root)
        if reference is None:
            indices = select_images(dataset, images, num_images)
            reference = [dataset.get_data_info(i)['img_path'] for i in indices]
        elif [dataset.get_data_info(i)['img_path'] for i in indices] != reference:
            raise ValueError(f'{spec["name"]} reads other test images than {models[0]["name"]}:'
                             ' the models must be compared on the same dataset and split.')
        model = load_analysis_model(cfg, spec.get('checkpoint'), device)
        set_class_list_from(model, dataset)
        batch = split_batch(model, next(batches(dataset, len(indices), indices)))
        out = AttentionMapper(model, method=method)(batch['inputs'])
        classes = dataset.metainfo['classes']
        correct = (out.preds.cpu() == batch['labels'].cpu()).tolist()
        columns.append(
            dict(
                name=spec['name'],
                checkpoint=spec.get('checkpoint'),
                scored_by=out.scored_by,
                maps=out.maps.cpu().numpy(),
                preds=[classes[p] for p in out.preds.tolist()],
                correct=correct,
                shares=outside_shares(out.maps.cpu(), batch['masks'], batch['valid'])))
        log(f'{spec["name"]}: {sum(correct)}/{len(indices)} right (scored by {out.scored_by})')
    labels = [classes[int(y)] for y in batch['labels'].tolist()]
    os.makedirs(out_dir, exist_ok=True)
    png = plot_gradcam_grid(
        batch['images'],
        batch['masks'].numpy(), [c['maps'] for c in columns], [c['name'] for c in columns],
        [c['preds'] for c in columns], [c['correct'] for c in columns],
        labels,
        osp.join(out_dir, 'gradcam_grid.png'),
        shares=[c['shares'] for c in columns],
        title=title)
    result = dict(
        method=method,
        split=split,
        images=[
            dict(
                path=path,
                label=label,
                mask_valid=bool(valid),
                models={
                    c['name']:
                    dict(
                        pred=c['preds'][i],
                        correct=bool(c['correct'][i]),
                        outside_share=c['shares'][i])
                    for c in columns
                }) for i, (path, label, valid) in enumerate(zip(reference, labels, batch['valid']))
        ],
        models=[{
            k: c[k]
            for k in ('name', 'checkpoint', 'scored_by')
        } for c in columns])
    out_json = osp.join(out_dir, 'gradcam.json')
    with open(out_json, 'w') as f:
        json.dump(result, f, indent=2)
    return dict(result, paths=[png, out_json])
