"""The five toy-world conditions: verdicts at their boundaries, and the mask measurements."""
import numpy as np
import pytest
from PIL import Image

from fvgpt.toyworld import (ToyWorld, ToyWorldConfig, check_conditions, iou_summary, mask_iou,
                            segmenter_mask_ious, write_toyworld)

SHIFT = dict(zeroshot=0.40, coop=0.45)
MASKS = dict(right=0.8, wrong=0.1, median=0.85)


def verdicts(zs, coop, shift=SHIFT, masks=MASKS):
    return [c.holds for c in check_conditions(zs, coop, shift, masks)]


def test_all_hold_in_a_world_like_the_real_problem():
    assert verdicts(dict(base=60, new=62), dict(base=75, new=58)) == [True] * 5


@pytest.mark.parametrize(
    'zs,coop,failing',
    [
        (dict(base=76, new=60), dict(base=90, new=55), 1),  # zero-shot base above 75
        (dict(base=60, new=39.9), dict(base=75, new=35), 1),  # zero-shot new below 40
        (dict(base=60, new=60), dict(base=69.99, new=55), 2),  # gain just under 10 points
        (dict(base=60, new=60), dict(base=75, new=60), 3),  # new equal is not below
    ])
def test_each_rule_fails_at_its_boundary(zs, coop, failing):
    holds = verdicts(zs, coop)
    assert [i + 1 for i, h in enumerate(holds) if not h] == [failing]


def test_attention_and_mask_rules():
    zs, coop = dict(base=60, new=60), dict(base=75, new=55)
    assert not verdicts(zs, coop, shift=dict(zeroshot=0.4, coop=0.4))[3]
    # masks: right on too few, wrong on none (nothing for the gate to decide), wrong on too many
    for right, wrong in ((0.5, 0.1), (0.97, 0.0), (0.6, 0.45)):
        assert not verdicts(zs, coop, masks=dict(right=right, wrong=wrong, median=0.8))[4]
    # without the optional measurements the first three are judged alone
    assert len(check_conditions(zs, coop)) == 3
    lines = [c.line() for c in check_conditions(zs, coop, SHIFT, MASKS)]
    assert lines[1].startswith('2.') and '+15.00' in lines[1] and 'holds' in lines[1]


def test_mask_iou_and_summary():
    a = np.zeros((4, 4), np.uint8)
    a[:2, :2] = 1
    b = np.zeros((4, 4), np.uint8)
    b[:2, :] = 1
    assert mask_iou(a, b) == pytest.approx(4 / 8)
    assert mask_iou(a, a * 255) == 1.0 and mask_iou(a * 0, a * 0) == 1.0
    assert mask_iou(a * 0, a) == 0.0
    s = iou_summary([1.0, 0.9, 0.8, 0.6, 0.2])
    assert s['right'] == pytest.approx(0.6) and s['wrong'] == pytest.approx(0.2)
    assert s['median'] == pytest.approx(0.8) and s['images'] == 5
    with pytest.raises(ValueError, match='No mask'):
        iou_summary([])


def test_segmenter_mask_ious_compare_with_the_exact_masks(tmp_path):
    # The written train masks are degraded on purpose: the IoU is taken against the exact mask
    # re-rendered from the world's config, not against the mask/ folder.
    cfg = ToyWorldConfig(num_train=2, num_val=1, num_test=1, degraded_mask_ratio=1.0)
    root = write_toyworld(str(tmp_path), cfg, progress=False)
    world = ToyWorld(cfg)
    seg = tmp_path / 'seg'
    expected = []
    for label in range(world.num_classes):
        for index in range(2):
            exact = world.sample('train', label, index).mask
            pred = exact if (label + index) % 3 else np.zeros_like(exact)
            path = seg / world.relpath('train', label, index)
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(pred * 255).save(path)
            expected.append(1.0 if (label + index) % 3 else 0.0)
    assert segmenter_mask_ious(root, str(seg), 'train') == expected
    (seg / world.relpath('train', 0, 0)).unlink()
    with pytest.raises(FileNotFoundError, match='prepare_foreground'):
        segmenter_mask_ious(root, str(seg), 'train')
