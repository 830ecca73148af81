"""PromptClassificationInferencer on the toy world's ToyCLIP: CoOp and FVG-PT checkpoints made by
tools/train.py on a small generated world, compared with tools/test.py on the same images."""
import argparse
import os.path as osp
import pickle
import re
import shutil

import mmcv
import numpy as np
import pytest
import torch

from fvgpt.apis import PromptClassificationInferencer
from fvgpt.testing import call_tool
from fvgpt.toyworld import TOYCLIP_CHECKPOINT, ToyWorld, ToyWorldConfig, write_toyworld
from fvgpt.utils.checkpoint import CheckpointLoadError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
COOP = osp.join(REPO, 'configs/coop/coop_b2n_toyworld.py')
FVGPT = osp.join(REPO, 'configs/fvgpt/coop_b2n_toyworld.py')
# 80 px images: the test pipeline (resize to 64, crop) has work to do, as on real data.
WORLD = ToyWorldConfig(image_size=80, num_train=2, num_val=1, num_test=2, degraded_mask_ratio=0.0)
CLASSES = ToyWorld(WORLD).classes
BASE, NEW = list(CLASSES[:15]), list(CLASSES[15:])

# What every tool call below overrides: the data, the ToyCLIP file wherever the cwd is, and a
# short run (2 shots, one epoch).
DATA_KEYS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def toy_options(data_root, clip_key):
    opts = [
        f'{clip_key}.pretrained={TOYCLIP_CHECKPOINT}', 'train_cfg.max_epochs=1',
        'train_dataloader.dataset.num_shots=2', 'default_hooks.logger.interval=1'
    ]
    return opts + [f'{key}.dataset.data_root={data_root}' for key in DATA_KEYS]


@pytest.fixture(scope='module')
def toy(tmp_path_factory):
    """A small world, CoOp (stage 1) and FVG-PT (stage 2) checkpoints from tools/train.py."""
    tmp = tmp_path_factory.mktemp('toy')
    data_root = str(tmp / 'data')
    write_toyworld(data_root, WORLD, progress=False)
    coop_dir, fvgpt_dir = str(tmp / 'coop'), str(tmp / 'fvgpt')
    call_tool('train.py', COOP, '--work-dir', coop_dir, '--no-validate', '--cfg-options',
              *toy_options(data_root, 'model.clip'))
    fvgpt_opts = toy_options(data_root, 'model.backbone.clip') + [f'model.backbone_ckpt={coop_dir}']
    call_tool('train.py', FVGPT, '--work-dir', fvgpt_dir, '--no-validate', '--cfg-options',
              *fvgpt_opts)
    return argparse.Namespace(
        tmp=tmp,
        data_root=data_root,
        coop_ckpt=osp.join(coop_dir, 'epoch_1.pth'),
        fvgpt_ckpt=osp.join(fvgpt_dir, 'epoch_1.pth'),
        coop_opts=dict(a.split('=', 1) for a in toy_options(data_root, 'model.clip')),
        fvgpt_opts=dict(a.split('=', 1) for a in fvgpt_opts))


def tools_test_predictions(toy, config, ckpt, options, split):
    """tools/test.py's predictions, dumped by mmengine's DumpResults metric."""
    dump = str(toy.tmp / f'{osp.basename(osp.dirname(config))}_{split}.pkl')
    wrapper = toy.tmp / f'dump_{osp.basename(osp.dirname(config))}.py'
    wrapper.write_text(f"_base_ = [{config!r}]\n"
                       "test_evaluator = [dict(type='Accuracy', topk=(1, )), "
                       f"dict(type='DumpResults', out_file_path={dump!r})]\n")
    opts = [f'{k}={v}' for k, v in options.items()]
    call_tool('test.py', str(wrapper), ckpt, '--work-dir', str(toy.tmp / 'test_work'),
              '--cfg-options', f'test_dataloader.dataset.subsample={split}', *opts)
    with open(dump, 'rb') as f:
        return pickle.load(f)


@pytest.mark.parametrize('method', ['coop', 'fvgpt'])
def test_new_classes_match_tools_test(toy, method):
    config, ckpt, options = dict(
        coop=(COOP, toy.coop_ckpt, toy.coop_opts),
        fvgpt=(FVGPT, toy.fvgpt_ckpt, toy.fvgpt_opts))[method]
    expected = tools_test_predictions(toy, config, ckpt, options, 'new')
    assert len(expected) == len(NEW) * WORLD.num_test
    paths = [s['img_path'] for s in expected]
    # The class names are the caller's; the split is inferred (FVG-PT: not its base classes).
    inferencer = PromptClassificationInferencer(
        config, ckpt, classes=NEW, device='cpu', cfg_options=options)
    results = inferencer(paths, batch_size=7)  # another batching than tools/test.py's
    assert [r['img_path'] for r in results] == paths
    for result, sample in zip(results, expected):
        np.testing.assert_allclose(
            result['pred_scores'], sample['pred_score'].numpy(), rtol=1e-4, atol=1e-6)
        assert result['pred_label'] == int(sample['pred_label'])
        assert result['pred_class'] == NEW[result['pred_label']]
        assert result['branch'] == ('new' if method == 'fvgpt' else None)
    # the model did better than chance on these images, so the comparison is not vacuous
    accuracy = np.mean(
        [NEW[r['pred_label']] == NEW[int(s['gt_label'])] for r, s in zip(results, expected)])
    assert accuracy > 3 / len(NEW)


def test_fvgpt_branch_follows_the_class_list_or_the_caller(toy):
    inferencer = PromptClassificationInferencer(
        FVGPT, toy.fvgpt_ckpt, device='cpu', cfg_options=toy.fvgpt_opts)
    # No class list given: the checkpoint's training classes (the base ones), as in testing.
    assert inferencer.classes == BASE and inferencer.subsample == 'base'
    image = osp.join(toy.data_root, 'toyworld', 'images', ToyWorld(WORLD).relpath('test', 3, 0))
    base = inferencer(image)[0]
    assert base['branch'] == 'base' and base['pred_class'] in BASE
    # The same base classes, scored by the new branch because the caller says so.
    inferencer.set_class_list(BASE, subsample='new')
    forced = inferencer(image)[0]
    assert forced['branch'] == 'new'
    assert not np.allclose(forced['pred_scores'], base['pred_scores'], atol=1e-4)
    # Base classes without a split: inferred as in testing (exactly the trained list -> base).
    inferencer.set_class_list(BASE)
    assert inferencer(image)[0]['branch'] == 'base'
    np.testing.assert_allclose(
        inferencer(image)[0]['pred_scores'], base['pred_scores'], rtol=1e-5, atol=1e-7)
    inferencer.set_class_list(list(reversed(BASE)))  # another list: the new branch
    assert inferencer(image)[0]['branch'] == 'new'


def test_results_paths_arrays_and_topk(toy):
    inferencer = PromptClassificationInferencer(
        COOP,
        toy.coop_ckpt,
        classes=NEW,
        templates=['a photo of a {}.'],
        device='cpu',
        cfg_options=toy.coop_opts)
    world = ToyWorld(WORLD)
    paths = [
        osp.join(toy.data_root, 'toyworld', 'images', world.relpath('test', label, 1))
        for label in (15, 20, 29)
    ]
    from_paths = inferencer(paths, batch_size=2, topk=4)
    from_arrays = inferencer([mmcv.imread(p) for p in paths], batch_size=3, topk=4)
    for a, b in zip(from_paths, from_arrays):
        np.testing.assert_allclose(a['pred_scores'], b['pred_scores'], rtol=1e-5, atol=1e-7)
        assert b['img_path'] is None
        assert a['pred_scores'].shape == (len(NEW), )
        assert abs(a['pred_scores'].sum() - 1) < 1e-5
        assert len(a['topk']) == 4
        order = np.argsort(-a['pred_scores'])[:4]
        assert [t['label'] for t in a['topk']] == order.tolist()
        assert [t['class'] for t in a['topk']] == [NEW[i] for i in order]
        assert a['topk'][0]['score'] == pytest.approx(a['pred_score'])
    datasamples = inferencer(paths[:1], return_datasamples=True)
    assert torch.is_tensor(datasamples[0].pred_score)


def test_from_a_built_model(toy):
    from mmengine.config import Config

    from fvgpt.registry import MODELS
    from fvgpt.utils import load_checkpoint_file
    cfg = Config.fromfile(COOP)
    cfg.merge_from_dict(toy.coop_opts)
    model = MODELS.build(cfg.model)
    model.load_state_dict(load_checkpoint_file(toy.coop_ckpt)['state_dict'])
    with pytest.raises(ValueError, match='config='):
        PromptClassificationInferencer(model, classes=NEW)
    from_model = PromptClassificationInferencer(model, classes=NEW, device='cpu', config=cfg)
    from_config = PromptClassificationInferencer(
        COOP, toy.coop_ckpt, classes=NEW, device='cpu', cfg_options=toy.coop_opts)
    image = osp.join(toy.data_root, 'toyworld', 'images', ToyWorld(WORLD).relpath('test', 20, 1))
    np.testing.assert_allclose(
        from_model(image)[0]['pred_scores'],
        from_config(image)[0]['pred_scores'],
        rtol=1e-5,
        atol=1e-7)
    assert from_model.model is model


def test_folder_with_a_non_image_file(toy, tmp_path):
    world = ToyWorld(WORLD)
    folder = tmp_path / 'mine'
    (folder / 'sub').mkdir(parents=True)
    for name, label in (('b.png', 16), ('a.png', 15), ('sub/c.png', 17)):
        shutil.copy(
            osp.join(toy.data_root, 'toyworld', 'images', world.relpath('test', label, 0)),
            folder / name)
    (folder / 'notes.txt').write_text('not an image')
    (folder / 'broken.png').write_bytes(b'\x89PNG but truncated')
    inferencer = PromptClassificationInferencer(
        COOP, toy.coop_ckpt, classes=NEW, device='cpu', cfg_options=toy.coop_opts)
    results = inferencer(str(folder), batch_size=2, show_dir=str(tmp_path / 'shown'))
    assert [osp.relpath(r['img_path'], folder) for r in results] == ['a.png', 'b.png', 'sub/c.png']
    assert sorted(osp.basename(p) for p, _ in inferencer.skipped) == ['broken.png', 'notes.txt']
    drawn = sorted(p.name for p in (tmp_path / 'shown').iterdir())
    assert drawn == ['a.png', 'b.png', 'c.png']
    assert min(mmcv.imread(str(tmp_path / 'shown' / 'a.png')).shape[:2]) == 224  # room for text
    with pytest.raises(FileNotFoundError, match='missing.png'):
        inferencer(str(folder / 'missing.png'))


def test_loading_is_weights_only_and_checked(toy, tmp_path):
    ckpt = torch.load(toy.coop_ckpt, weights_only=True)
    ckpt['meta']['note'] = argparse.Namespace(x=1)  # a global weights_only refuses
    unsafe = str(tmp_path / 'unsafe.pth')
    torch.save(ckpt, unsafe)
    # refused by the one safe loader, which names the file and never suggests weights_only=False
    with pytest.raises(CheckpointLoadError, match=r'unsafe\.pth.*not a weights-only') as info:
        PromptClassificationInferencer(
            COOP, unsafe, classes=NEW, device='cpu', cfg_options=toy.coop_opts)
    assert 'weights_only=False' not in str(info.value)
    with pytest.raises((RuntimeError, ValueError), match='does not fit'):  # FVG-PT into CoOp
        PromptClassificationInferencer(
            COOP, toy.fvgpt_ckpt, classes=NEW, device='cpu', cfg_options=toy.coop_opts)
    with pytest.raises(ValueError, match=re.escape('one "{}"')):
        PromptClassificationInferencer(
            COOP,
            toy.coop_ckpt,
            classes=NEW,
            templates='a {} {}',
            device='cpu',
            cfg_options=toy.coop_opts)
