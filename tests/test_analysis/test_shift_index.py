"""The foreground shift index: the share of a map's mass outside the mask, averaged over images
with a usable mask."""
import torch

from fvgpt.analysis import ForegroundShiftMeter, foreground_shift_index, outside_shares


def square_mask(size=8, lo=2, hi=6):
    mask = torch.zeros(size, size)
    mask[lo:hi, lo:hi] = 1
    return mask


def test_all_inside_is_0_and_all_outside_is_1():
    mask = square_mask()
    inside = mask * torch.rand(8, 8) + mask * 0.1
    outside = (1 - mask) * (torch.rand(8, 8) + 0.1)
    assert foreground_shift_index(inside[None], mask[None]) == 0.0
    assert foreground_shift_index(outside[None], mask[None]) == 1.0


def test_mean_of_per_image_shares():
    mask = square_mask()
    uniform = torch.ones(8, 8)  # 16 of 64 pixels inside: 48/64 outside
    half = mask * 3.0 + (1 - mask) * 1.0  # inside mass 48, outside 48
    shares = outside_shares(torch.stack([uniform, half]), torch.stack([mask, mask]))
    assert shares == [0.75, 0.5]
    assert foreground_shift_index(torch.stack([uniform, half]), torch.stack([mask, mask])) == 0.625


def test_map_is_resized_to_the_mask():
    mask = torch.zeros(32, 32)
    mask[:, :16] = 1  # left half
    grid = torch.tensor([[1.0, 0.0], [1.0, 0.0]])  # left column of a 2x2 grid
    share = outside_shares(grid[None], mask[None])[0]
    # bilinear upsampling spreads the left column into the right half: 1/4 of the mass leaks
    assert 0.1 < share < 0.3
    expected = torch.nn.functional.interpolate(
        grid[None, None], size=(32, 32), mode='bilinear', align_corners=False)[0, 0]
    assert abs(share - float(expected[:, 16:].sum() / expected.sum())) < 1e-6


def test_images_without_a_usable_mask_are_reported_and_excluded_not_counted_as_0():
    mask = square_mask()
    outside = (1 - mask) * 1.0
    maps = torch.stack([outside, outside, outside, torch.zeros(8, 8)])
    masks = torch.stack([mask, torch.zeros(8, 8), torch.zeros(8, 8), mask])
    valid = torch.tensor([True, False, True, True])
    meter = ForegroundShiftMeter()
    shares = meter.update(maps, masks, valid, names=['a', 'b', 'c', 'd'])
    assert shares == [1.0, None, None, None]
    result = meter.result()
    assert result['index'] == 1.0 and result['num_used'] == 1 and result['num_images'] == 4
    assert result['excluded'] == dict(missing_mask=['b'], empty_mask=['c'], empty_map=['d'])
    assert foreground_shift_index(maps[1:2], masks[1:2], valid[1:2]) is None
