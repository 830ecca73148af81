"""The shipped toy-world segmenter (checkpoints/toyseg_segformer_tiny.pth): small, safe to load,
and accurate on toy-world images where no random model is; its masks reach the data layer through
tools/prepare_foreground.py; its training dataset reads the world's masks as 0/1 label maps."""
import os.path as osp
import runpy

import numpy as np
import pytest
import torch
from mmengine.registry import DefaultScope

from fvgpt.segmentation import Segmenter
from fvgpt.segmentation.toyworld_seg_dataset import ToyWorldSegDataset, foreground_scores
from fvgpt.toyworld import PRETRAIN_WORLD, ToyWorld, ToyWorldConfig, write_toyworld
from fvgpt.utils.checkpoint import load_checkpoint_file

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'segmenters', 'segformer-tiny_toyworld.py')
CHECKPOINT = osp.join(REPO, 'checkpoints', 'toyseg_segformer_tiny.pth')
#: Foreground IoU over the fixed set (the looks it was trained on) that the shipped segmenter must
#: reach and that no random model reaches.
IOU_THRESHOLD = 0.8
#: The same on the benchmark world, whose shifted, distractor-laden images it segments worse by
#: design (a 300-iteration schedule, issue 14's condition 5: it scores about 0.80 on the benchmark
#: test split); the generator's degraded masks stay under 0.6.
BENCH_IOU_THRESHOLD = 0.7


@pytest.fixture(scope='module')
def fixed_set():
    """Two test images per class (60) in the looks the segmenter was trained on (the toy world
    without its downstream shifts), BGR, with exact masks."""
    world = ToyWorld(ToyWorldConfig(**PRETRAIN_WORLD))
    samples = [
        world.sample('test', label, i) for label in range(world.num_classes) for i in range(2)
    ]
    return [s.image[..., ::-1].copy() for s in samples], [s.mask for s in samples]


@pytest.fixture(scope='module')
def shipped():
    return Segmenter(CONFIG, CHECKPOINT, foreground='binary', device='cpu')


def test_checkpoint_is_small_and_loads_safely():
    assert osp.getsize(CHECKPOINT) < 2 * 2**20
    ckpt = load_checkpoint_file(CHECKPOINT)  # torch.load(weights_only=True)
    assert set(ckpt) == {'state_dict', 'meta'}
    assert tuple(ckpt['meta']['dataset_meta']['classes']) == ('background', 'foreground')
    floats = [v for v in ckpt['state_dict'].values() if v.is_floating_point()]
    assert floats and all(v.dtype == torch.float16 for v in floats)


def test_shipped_masks_pass_a_threshold_no_random_model_passes(shipped, fixed_set):
    images, references = fixed_set
    assert shipped.class_names == ('background', 'foreground')
    scores = foreground_scores(shipped.segment(images), references)
    assert scores['fg_iou'] >= IOU_THRESHOLD, scores
    assert scores['mean_image_fg_iou'] >= IOU_THRESHOLD, scores

    # Constant predictions: all foreground scores the foreground share, all background 0.
    area = sum(int(m.sum()) for m in references) / sum(m.size for m in references)
    assert area < IOU_THRESHOLD - 0.3
    everything = foreground_scores([np.ones_like(m) for m in references], references)
    assert everything['fg_iou'] == pytest.approx(area)
    # Random initializations of the same model.
    for seed in range(3):
        torch.manual_seed(seed)
        random_model = Segmenter(CONFIG, None, foreground='binary', device='cpu')
        random_scores = foreground_scores(random_model.segment(images), references)
        assert random_scores['fg_iou'] < IOU_THRESHOLD - 0.3, (seed, random_scores)


def test_prepared_masks_reach_the_toyworld_dataset(tmp_path):
    """tools/prepare_foreground.py writes the segmenter's masks under mask_seg/, which the toy
    world's dataset reads with mask_root, apart from the generator's masks under mask/."""
    data_root = str(tmp_path)
    small = ToyWorldConfig(num_train=1, num_val=0, num_test=1, degraded_mask_ratio=1.0)
    root = write_toyworld(data_root, small, progress=False)
    main = runpy.run_path(osp.join(REPO, 'tools', 'prepare_foreground.py'))['main']
    assert main([
        CONFIG, CHECKPOINT, '--dataset-dir', root, '--image-dir', 'images', '--split-file',
        'split_zhou_ToyWorld.json', '--mask-root',
        osp.join(root, 'mask_seg'), '--foreground', 'binary', '--batch-size', '32', '--no-progress'
    ]) == 0

    from mmengine.dataset import Compose

    from fvgpt.registry import DATASETS
    from fvgpt.toyworld import TOYWORLD_INFO
    pipeline = Compose([dict(type='LoadImageFromFile'), dict(type='LoadForegroundMask')])
    world = ToyWorld(small)
    for mask_root, split in (('toyworld/mask_seg', 'test'), ('toyworld/mask_seg', 'train'),
                             (None, 'train')):
        dataset = DATASETS.build(
            dict(
                type='CoOpSplitDataset',
                data_root=data_root,
                dataset_dir=TOYWORLD_INFO['dataset_dir'],
                image_dir=TOYWORLD_INFO['image_dir'],
                split_file=TOYWORLD_INFO['split_file'],
                templates=[TOYWORLD_INFO['template']],
                dataset_name='toyworld',
                split=split,
                with_mask=True,
                mask_root=mask_root))
        assert len(dataset) == world.num_classes
        masks, exact = [], []
        for i in range(len(dataset)):
            info = dataset.get_data_info(i)
            results = pipeline(dict(info))
            assert results['fg_mask_valid']
            masks.append(results['gt_fg_mask'])
            exact.append(world.sample(split, info['gt_label'], 0).mask)
        fg_iou = foreground_scores(masks, exact)['fg_iou']
        if mask_root is None:  # the generator's own train masks, every one degraded here
            assert fg_iou < 0.6
        else:  # the segmenter's
            assert fg_iou >= BENCH_IOU_THRESHOLD


def test_toyworld_seg_dataset_reads_masks_as_label_maps(tmp_path):
    small = ToyWorldConfig(num_train=1, num_val=1, num_test=0, degraded_mask_ratio=0.0)
    root = write_toyworld(str(tmp_path), small, progress=False)
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]
    with DefaultScope.overwrite_default_scope('mmseg'):  # mmseg's transforms, as in its runner
        dataset = ToyWorldSegDataset(data_root=root, split='train', pipeline=pipeline)
    world = ToyWorld(small)
    assert len(dataset) == world.num_classes
    assert dataset.metainfo['classes'] == ('background', 'foreground')
    assert len(ToyWorldSegDataset(data_root=root, split=None, lazy_init=False)) == \
        2 * world.num_classes
    for label in (0, 17):
        results = dataset[label]
        assert results['img'].shape == (64, 64, 3)
        np.testing.assert_array_equal(results['gt_seg_map'], world.sample('train', label, 0).mask)
    with pytest.raises(ValueError, match='split'):
        ToyWorldSegDataset(data_root=root, split='pretrain')
    with pytest.raises(FileNotFoundError, match='generate.py'):
        ToyWorldSegDataset(data_root=str(tmp_path / 'missing'), split='train')
