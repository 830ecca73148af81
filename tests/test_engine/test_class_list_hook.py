from types import SimpleNamespace

import pytest

from fvgpt.engine import ClassListHook


class RecordingModel:

    def __init__(self):
        self.calls = []

    def set_class_list(self, classes, templates, subsample):
        self.calls.append((list(classes), list(templates), subsample))


def loader(classes, templates=None, subsample=None):
    meta = dict(classes=classes, subsample=subsample)
    if templates:
        meta['templates'] = templates
    return SimpleNamespace(dataset=SimpleNamespace(metainfo=meta))


def test_switches_class_lists_around_validation():
    model = RecordingModel()
    train = loader(('a', 'b'), ['{} texture.'], 'base')
    val = loader(('a', 'b', 'c'), None, 'all')
    runner = SimpleNamespace(
        model=model,
        train_dataloader=train,
        val_dataloader=val,
        test_dataloader=loader(('x', ), ['x {}'], 'new'))
    hook = ClassListHook()
    hook.before_train(runner)
    hook.before_val(runner)
    hook.after_val(runner)
    hook.before_test(runner)
    assert model.calls == [
        (['a', 'b'], ['{} texture.'], 'base'),
        (['a', 'b', 'c'], ['a photo of a {}.'], 'all'),  # default template
        (['a', 'b'], ['{} texture.'], 'base'),  # back to training classes
        (['x'], ['x {}'], 'new'),
    ]


def test_standalone_validation_does_not_restore():
    model = RecordingModel()
    runner = SimpleNamespace(model=model, val_dataloader=loader(('a', )))
    hook = ClassListHook()
    hook.before_val(runner)
    hook.after_val(runner)
    assert len(model.calls) == 1


def test_validation_after_training_ended_does_not_restore():
    model = RecordingModel()
    runner = SimpleNamespace(
        model=model, train_dataloader=loader(('a', 'b')), val_dataloader=loader(('c', )))
    hook = ClassListHook()
    hook.before_train(runner)
    hook.after_train(runner)
    hook.before_val(runner)
    hook.after_val(runner)
    assert [classes for classes, _, _ in model.calls] == [['a', 'b'], ['c']]


def test_missing_classes_is_explained():
    runner = SimpleNamespace(
        model=RecordingModel(),
        train_dataloader=SimpleNamespace(dataset=SimpleNamespace(metainfo={})))
    with pytest.raises(KeyError, match='no "classes" in its metainfo'):
        ClassListHook().before_train(runner)
