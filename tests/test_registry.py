import pytest
from mmengine.registry import MODELS as MMENGINE_MODELS

from fvgpt.registry import HOOKS, MODELS
from fvgpt.testing import tiny_coop_cfg


def test_unknown_type_lists_known_names():
    with pytest.raises(KeyError) as err:
        MODELS.build(dict(type='CoOP'))
    msg = str(err.value)
    assert '"CoOP" is not in the fvgpt::model registry' in msg
    assert 'CoOp' in msg and 'ZeroShotCLIP' in msg and 'OpenCLIP' in msg


def test_unknown_type_through_the_root_registry_in_fvgpt_scope():
    # the Runner builds with mmengine's root registry, switched to the default scope
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('fvgpt'):
        with pytest.raises(KeyError, match='Known fvgpt models: .*CoOp'):
            MMENGINE_MODELS.build(dict(type='NoSuchModel'))
        model = MMENGINE_MODELS.build(tiny_coop_cfg())
    assert type(model).__name__ == 'CoOp'


def test_membership_and_parent_lookup():
    assert 'CoOp' in MODELS and 'NoSuchModel' not in MODELS
    assert 'ClassListHook' in HOOKS
    # mmpretrain's and mmengine's components stay reachable from the fvgpt scope
    assert MODELS.get('ClsDataPreprocessor') is not None
    assert HOOKS.get('CheckpointHook') is not None


def test_building_needs_no_prior_import(tmp_path):
    """A fresh interpreter builds fvgpt and mmpretrain components by name alone: the registries
    import their packages themselves (no reliance on an import made elsewhere)."""
    import subprocess
    import sys
    code = ('from mmengine.registry import DefaultScope\n'
            'from fvgpt.registry import MODELS, VISUALIZERS\n'
            "DefaultScope.get_instance('t', scope_name='fvgpt')\n"
            "m = MODELS.build(dict(type='CoOp', clip=dict(type='OpenCLIP', "
            "model_name='fvgpt-tiny-vit')))\n"
            "v = VISUALIZERS.build(dict(type='UniversalVisualizer', name='v'))\n"
            'print(type(m).__name__, type(v).__name__)\n')
    proc = subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          timeout=300,
                          env={
                              **__import__('os').environ, 'HF_HUB_OFFLINE': '1'
                          })
    assert proc.returncode == 0, proc.stderr[-2000:]
    # (the lines before are the log, e.g. where CLIP's weights came from)
    assert proc.stdout.strip().splitlines()[-1].split() == ['CoOp', 'UniversalVisualizer']
