"""An optimizer holding only what is trained: prompts, adapters, gates; never the frozen CLIP."""
from typing import List

import torch.nn as nn
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper

from fvgpt.registry import OPTIM_WRAPPER_CONSTRUCTORS, OPTIM_WRAPPERS, OPTIMIZERS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class TrainableParamsOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's default constructor restricted to parameters with ``requires_grad``.

    The default one hands every parameter of the model to the optimizer, the frozen CLIP's
    hundreds of tensors included: harmless for the update (no gradient) but it bloats the
    optimizer state and hides what is trained. ``paramwise_cfg`` works as in mmengine.
    """

    def __call__(self, model: nn.Module) -> OptimWrapper:
        if is_model_wrapper(model):
            model = model.module
        optim_wrapper_cfg = self.optim_wrapper_cfg.copy()
        optim_wrapper_cfg.setdefault('type', 'OptimWrapper')
        optimizer_cfg = self.optimizer_cfg.copy()
        if self.paramwise_cfg:
            groups: List[dict] = []
            self.add_params(groups, model)
            params = [g for g in groups if g['params'][0].requires_grad]
        else:
            params = [p for p in model.parameters() if p.requires_grad]
        if not params:
            raise ValueError(f'{type(model).__name__} has no parameter with requires_grad: '
                             'nothing to train.')
        optimizer_cfg['params'] = params
        optimizer = OPTIMIZERS.build(optimizer_cfg)
        return OPTIM_WRAPPERS.build(optim_wrapper_cfg, default_args=dict(optimizer=optimizer))
