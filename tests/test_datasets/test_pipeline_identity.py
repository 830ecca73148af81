"""Pipeline identity: a stable key of the config, and determinism decided from the transforms."""
import pytest

from fvgpt.datasets import pipeline_identity

LOAD = dict(type='LoadImageFromFile', imdecode_backend='pillow')
TEST = [
    LOAD,
    dict(type='PairedResizeEdge', scale=64, edge='short', interpolation='bicubic'),
    dict(type='PairedCenterCrop', crop_size=64),
    dict(type='mmpretrain.PackInputs'),
]


def test_deterministic_pipelines_are_recognized_and_keyed_by_every_parameter():
    ident = pipeline_identity(TEST)
    assert ident.deterministic and ident.reason == ''
    # the same config written with other key order or tuples for lists: the same key
    reordered = [dict(reversed(list(t.items()))) for t in TEST]
    assert pipeline_identity(reordered).key == ident.key
    # any parameter changes the key
    other = [dict(t) for t in TEST]
    other[2]['crop_size'] = 60
    assert pipeline_identity(other).key != ident.key
    other = [dict(t) for t in TEST]
    other[1]['interpolation'] = 'bilinear'
    assert pipeline_identity(other).key != ident.key


@pytest.mark.parametrize(
    'transform, word',
    [
        (dict(type='PairedRandomResizedCrop', scale=64), 'PairedRandomResizedCrop draws at random'),
        (dict(type='PairedRandomFlip', prob=0.5), 'flips at random'),
        (dict(type='RandomFlip'), 'flips at random'),  # mmcv's default prob is 0.5
        (dict(type='mmpretrain.ColorJitter', brightness=0.4), 'not known to be deterministic'),
    ])
def test_random_or_unknown_transforms_make_the_pipeline_non_deterministic(transform, word):
    ident = pipeline_identity(TEST[:2] + [transform] + TEST[2:])
    assert not ident.deterministic
    assert word in ident.reason


def test_a_flip_that_never_flips_is_deterministic():
    assert pipeline_identity(TEST[:2] + [dict(type='PairedRandomFlip', prob=0.0)]).deterministic


def test_transform_objects_are_refused_with_the_fix():
    with pytest.raises(TypeError, match='pipeline config'):
        pipeline_identity([object()])
