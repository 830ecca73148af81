import pytest
from mmengine.optim import build_optim_wrapper

from fvgpt.registry import MODELS
from fvgpt.testing import tiny_coop_cfg


def test_only_trainable_parameters_reach_the_optimizer():
    model = MODELS.build(tiny_coop_cfg())
    wrapper = build_optim_wrapper(
        model,
        dict(
            optimizer=dict(type='SGD', lr=0.1),
            constructor='TrainableParamsOptimWrapperConstructor'))
    params = [p for g in wrapper.optimizer.param_groups for p in g['params']]
    assert len(params) == 1 and params[0] is model.prompt_learner.ctx
    # the default constructor would have handed over every CLIP tensor as well
    default = build_optim_wrapper(model, dict(optimizer=dict(type='SGD', lr=0.1)))
    assert sum(len(g['params']) for g in default.optimizer.param_groups) > 10


def test_paramwise_cfg_still_applies():
    model = MODELS.build(tiny_coop_cfg())
    wrapper = build_optim_wrapper(
        model,
        dict(
            optimizer=dict(type='SGD', lr=0.1, weight_decay=1e-4),
            paramwise_cfg=dict(custom_keys={'ctx': dict(decay_mult=0.0)}),
            constructor='TrainableParamsOptimWrapperConstructor'))
    groups = wrapper.optimizer.param_groups
    assert len(groups) == 1 and groups[0]['weight_decay'] == 0.0


def test_nothing_trainable_is_an_error():
    model = MODELS.build(dict(type='ZeroShotCLIP', clip=tiny_coop_cfg()['clip']))
    with pytest.raises(ValueError, match='nothing to train'):
        build_optim_wrapper(
            model,
            dict(
                optimizer=dict(type='SGD', lr=0.1),
                constructor='TrainableParamsOptimWrapperConstructor'))
