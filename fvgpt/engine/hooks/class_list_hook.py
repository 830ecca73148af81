"""Tells the model which classes it scores whenever the Runner switches datasets."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

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
        # Whether the Runner is inside train(): validation then restores the training list.
        self._training = False

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
        self._training = True
        self._apply(runner, runner.train_dataloader)

    def after_train(self, runner) -> None:
        self._training = False

    def before_val(self, runner) -> None:
        self._apply(runner, runner.val_dataloader)

    def after_val(self, runner) -> None:
        # Only when validating inside training (before_train .. after_train), not after a
        # stand-alone `runner.val()`.
        if self._training:
            self._apply(runner, runner.train_dataloader)

    def before_test(self, runner) -> None:
        self._apply(runner, runner.test_dataloader)
