"""Tells the model which classes it scores whenever the Runner switches datasets."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from fvgpt.registry import HOOKS


@HOOKS.register_module()
class ClassListHook(Hook):
    """Calls ``model.set_class_list(classes, templates, subsample)`` from the dataset's metainfo.

    Text-defined classifiers have no fixed class list: base-to-new training, validation and
    testing each score another one. Before training, validation and testing, this hook reads
    ``classes``, ``templates`` and ``subsample`` from the metainfo of the dataset about to be
    iterated; after validation it restores the training list.

    Args:
        default_templates (list[str]): used when the dataset's metainfo has no ``templates``.
    """

    priority = 'HIGHEST'

    def __init__(self, default_templates: Optional[list] = None):
        self.default_templates = list(default_templates or ['a photo of a {}.'])

    def _apply(self, runner, dataloader) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        dataset = dataloader.dataset
        meta = getattr(dataset, 'metainfo', None) or {}
        if not meta.get('classes'):
            raise KeyError(f'{type(dataset).__name__} has no "classes" in its metainfo: '
                           'ClassListHook needs the class names to build the text classifier.')
        model.set_class_list(meta['classes'],
                             meta.get('templates') or self.default_templates, meta.get('subsample'))

    def before_train(self, runner) -> None:
        self._apply(runner, runner.train_dataloader)

    def before_val(self, runner) -> None:
        self._apply(runner, runner.val_dataloader)

    def after_val(self, runner) -> None:
        # Only when validating inside training: a stand-alone `runner.val()` has no train loop.
        if isinstance(runner._train_loop, BaseLoop):
            self._apply(runner, runner.train_dataloader)

    def before_test(self, runner) -> None:
        self._apply(runner, runner.test_dataloader)
