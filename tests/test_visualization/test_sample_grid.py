"""Tiles and grids of packed samples: colours, mask outline, area rule, sizes."""
import numpy as np
import pytest
import torch
from mmpretrain.structures import DataSample

from fvgpt.visualization.sample_grid import (GAP, MARGIN, PAD, RELIABLE, UNRELIABLE, draw_tile,
                                             make_grid, sample_view, tile_shape)

BLUE_BGR, GREY_BGR = (255, 0, 0), (90, 90, 90)


def packed(mask_box=None, valid=True, size=32):
    """A packed sample as PackInputs makes it: a blue image (BGR, CHW tensor), label 1, and
    with ``mask_box`` (y0, y1, x0, x1) FVG-PT's mask and a grey foreground view."""
    img = np.zeros((size, size, 3), np.uint8)
    img[...] = BLUE_BGR
    sample = DataSample().set_gt_label(1)
    if mask_box is not None:
        mask = np.zeros((size, size), np.uint8)
        y0, y1, x0, x1 = mask_box
        mask[y0:y1, x0:x1] = 1
        fg = np.zeros_like(img)
        fg[...] = GREY_BGR
        sample.set_field(mask, 'gt_fg_mask')
        sample.set_field(fg, 'img_fg')
        sample.set_field(valid, 'fg_mask_valid')
    return dict(inputs=torch.from_numpy(img).permute(2, 0, 1), data_samples=sample)


def test_view_without_mask_is_image_and_label():
    view = sample_view(packed(), classes=['red circle', 'blue square'])
    assert view.label == '1: blue square' and not view.has_mask
    assert tuple(view.image[0, 0]) == (0, 0, 255)  # RGB for display
    assert view.record() == {'label': '1: blue square'}


def test_area_and_reliability_follow_the_rule():
    box = (0, 8, 0, 8)  # 64 of 1024 pixels
    view = sample_view(packed(box))
    assert view.area == pytest.approx(64 / 1024)
    assert view.reliable  # defaults: [0.02, 0.98]
    assert not sample_view(packed(box), area_rule=dict(area_min=0.1)).reliable
    assert not sample_view(packed(box), area_rule=dict(area_max=0.05)).reliable
    assert not sample_view(packed(box, valid=False)).reliable  # missing mask file
    assert not sample_view(packed((0, 0, 0, 0))).reliable  # empty mask


def test_tile_draws_outline_on_mask_border_and_the_foreground_view():
    panel = 64  # the 32 px sample at scale 2
    box = (8, 24, 8, 24)
    tile = draw_tile(sample_view(packed(box)), panel_size=panel)
    assert tile.shape[:2] == tile_shape(panel, with_mask=True)
    image = tile[PAD:PAD + panel, PAD:PAD + panel]
    # the mask's border (16..47 in panel pixels) is outlined in green, inside and outside not
    assert tuple(image[16, 30]) == RELIABLE and tuple(image[30, 16]) == RELIABLE
    assert tuple(image[32, 32]) == (0, 0, 255) and tuple(image[2, 2]) == (0, 0, 255)
    fg = tile[PAD:PAD + panel, PAD + panel + GAP:PAD + 2 * panel + GAP]
    assert (fg == GREY_BGR[::-1]).all()
    unreliable = draw_tile(sample_view(packed(box), area_rule=dict(area_min=0.5)), panel)
    assert tuple(unreliable[PAD + 16, PAD + 30]) == UNRELIABLE


def test_tile_without_mask_is_one_panel():
    tile = draw_tile(sample_view(packed()), panel_size=40)
    assert tile.shape[:2] == tile_shape(40, with_mask=False)
    assert tile_shape(40, True)[1] - tile_shape(40, False)[1] == 40 + GAP


def test_grid_places_tiles_in_rows():
    tiles = [np.full((10, 20, 3), i * 40, np.uint8) for i in range(5)]
    grid = make_grid(tiles, cols=2)
    assert grid.shape[:2] == (3 * 10 + 4 * MARGIN, 2 * 20 + 3 * MARGIN)
    # tile 3 is row 1, column 1
    top, left = MARGIN + 1 * (10 + MARGIN), MARGIN + 1 * (20 + MARGIN)
    assert (grid[top:top + 10, left:left + 20] == 120).all()
    with pytest.raises(ValueError, match='differ in size'):
        make_grid([tiles[0], np.zeros((5, 5, 3), np.uint8)], cols=2)
