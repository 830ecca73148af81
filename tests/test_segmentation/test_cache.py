import os

import numpy as np
import pytest

from fvgpt.segmentation import Segmenter
from fvgpt.segmentation.testing import color_image, color_segmenter_config


@pytest.fixture
def counted(monkeypatch):
    """Counts the images that go through the segmenter."""
    calls = []
    original = Segmenter.predict_labels

    def predict_labels(self, images, queries=None):
        calls.append(len(images))
        return original(self, images, queries)

    monkeypatch.setattr(Segmenter, 'predict_labels', predict_labels)
    return calls


def test_second_pass_reads_the_cache(tmp_path, color_ckpt, counted):
    img, labels = color_image()
    path = str(tmp_path / 'img.png')
    cache = str(tmp_path / 'cache')
    first = Segmenter(color_segmenter_config(), color_ckpt, foreground=['cat'], cache_dir=cache)
    np.testing.assert_array_equal(first.segment([img], [path])[0], labels == 1)
    assert counted == [1]
    # A new run (new process): the model is not even built, and other foreground classes reuse
    # the cached label map.
    again = Segmenter(color_segmenter_config(), color_ckpt, foreground=['dog'], cache_dir=cache)
    np.testing.assert_array_equal(again.segment([img], [path])[0], labels == 2)
    assert counted == [1] and again._model is None
    # A replaced image of another size is segmented again.
    big, big_labels = color_image(24)
    np.testing.assert_array_equal(again.segment([big], [path])[0], big_labels == 2)
    assert counted == [1, 1]


def test_another_checkpoint_never_reads_the_first_cache(tmp_path, color_ckpt, color_ckpt_other,
                                                        counted):
    img, labels = color_image()
    path = str(tmp_path / 'img.png')
    cache = str(tmp_path / 'cache')
    a = Segmenter(color_segmenter_config(), color_ckpt, foreground=['cat'], cache_dir=cache)
    b = Segmenter(color_segmenter_config(), color_ckpt_other, foreground=['cat'], cache_dir=cache)
    np.testing.assert_array_equal(a.segment([img], [path])[0], labels == 1)
    # The other checkpoint calls red pixels sky: its mask is empty, not the cached cat square.
    assert b.segment([img], [path])[0].sum() == 0
    assert counted == [1, 1]
    assert sorted(os.listdir(cache)) == sorted([a.model_key[:16], b.model_key[:16]])
