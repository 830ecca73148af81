import pytest

from fvgpt.segmentation.testing import save_color_segmenter_checkpoint


@pytest.fixture(scope='session')
def color_ckpt(tmp_path_factory):
    """The colour segmenter's checkpoint (sky / cat / dog by pixel colour)."""
    return save_color_segmenter_checkpoint(str(tmp_path_factory.mktemp('ckpt') / 'color.pth'))


@pytest.fixture(scope='session')
def color_ckpt_other(tmp_path_factory):
    """Another checkpoint of the same config: red pixels become sky instead of cat."""
    return save_color_segmenter_checkpoint(
        str(tmp_path_factory.mktemp('ckpt') / 'color_other.pth'), red_bias=-20.0)
