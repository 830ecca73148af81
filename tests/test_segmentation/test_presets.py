import numpy as np
import pytest
from mmseg.utils import get_classes

from fvgpt.segmentation.presets import (FOREGROUND_PRESETS, default_class_names, foreground_lookup,
                                        get_preset)


@pytest.mark.parametrize('name,label_set,count', [('coco_stuff_things', 'cocostuff', 80),
                                                  ('ade20k_things', 'ade20k', 100),
                                                  ('voc_objects', 'voc', 20)])
def test_presets_name_classes_of_mmseg_label_sets(name, label_set, count):
    preset = get_preset(name)
    classes = get_classes(label_set)
    assert preset.label_set_classes() == tuple(classes)
    assert len(preset.classes) == len(set(preset.classes)) == count
    assert set(preset.classes) <= set(classes)
    lookup = foreground_lookup(name, classes)
    assert lookup.sum() == count


def test_preset_contents():
    voc = foreground_lookup('voc_objects', get_classes('voc'))
    assert voc[0] == 0 and voc[1:].all()  # everything but background
    coco = foreground_lookup('coco_stuff_things', get_classes('cocostuff'))
    assert coco[:80].all() and not coco[80:].any()  # COCO-Stuff: things first, then stuff
    ade_classes = get_classes('ade20k')
    ade = dict(zip(ade_classes, foreground_lookup('ade20k_things', ade_classes)))
    assert ade['person'] == ade['car'] == ade['flower'] == ade['animal'] == 1
    assert ade['sky'] == ade['wall'] == ade['tree'] == ade['grass'] == ade['road'] == 0
    assert FOREGROUND_PRESETS['binary'].label_set_classes() == ('background', 'foreground')


def test_lookup_by_names_and_indices():
    classes = ('sky', 'cat', 'dog')
    np.testing.assert_array_equal(foreground_lookup(['cat'], classes), [0, 1, 0])
    np.testing.assert_array_equal(foreground_lookup([1, 'dog'], classes), [0, 1, 1])
    with pytest.raises(ValueError, match="'cow'.*sky, cat, dog"):
        foreground_lookup(['cow'], classes)
    with pytest.raises(ValueError, match='3'):
        foreground_lookup([3], classes)
    with pytest.raises(ValueError, match='empty'):
        foreground_lookup([], classes)


def test_preset_must_fit_the_segmenter():
    with pytest.raises(ValueError, match='ade20k models.*3 classes'):
        foreground_lookup('ade20k_things', ('sky', 'cat', 'dog'))
    with pytest.raises(KeyError, match='Known presets: coco_stuff_things'):
        foreground_lookup('coco_things', ('a', ))
    # Unnamed classes (no names in checkpoint or config) take the label set's order.
    unnamed = default_class_names(21, 'voc_objects')
    assert unnamed == tuple(get_classes('voc'))
    assert default_class_names(3, 'voc_objects') == ('0', '1', '2')
