"""FVGPTRunner / OnceFormattedConfig: yapf runs once per distinct top-level statement of the
configs, and every text mmengine writes from the config (the dumped file, the log, the
visualizer's copy, checkpoint meta) is the same as with mmengine's own Runner."""
import glob
import os
import os.path as osp
import re
import time

import mmengine.config.config as mmengine_config
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from fvgpt.engine import FVGPTRunner, OnceFormattedConfig, build_runner
from fvgpt.engine.runner import clear_formatted_texts
from fvgpt.setup_env import register_all_modules
from fvgpt.testing.toy_configs import make_toyworld, write_stage1

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


@pytest.fixture
def yapf_calls(monkeypatch):
    """Counts mmengine's calls of yapf's FormatCode (the expensive part of ``pretty_text``)."""
    calls = []
    real = mmengine_config.FormatCode

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(mmengine_config, 'FormatCode', counting)
    clear_formatted_texts()
    yield calls
    clear_formatted_texts()


def test_text_equals_mmengine_and_yapf_runs_once_per_statement(yapf_calls):
    base = dict(a=1, b=dict(c=[1, 2, dict(d='x')], e=(3, 4)), f='1', g=None)
    variants = [
        base,
        dict(base, a='1'),  # a value of another type, same str()
        dict(base, a=(1, )),
        dict(base, f='2'),
        dict(base, b=dict(c=[1, 2, dict(d='x')], e=[3, 4])),  # a tuple became a list
        dict(base, h=True),
    ]
    expected = [Config(v).pretty_text for v in variants]  # mmengine, yapf on every call
    assert len(set(expected)) == len(variants)
    yapf_calls.clear()
    for _ in range(3):
        assert [OnceFormattedConfig(v).pretty_text for v in variants] == expected
    # once per distinct top-level statement, however often asked: base's four (a, b, f, g),
    # then the one statement each other variant changes or adds
    assert len(yapf_calls) == len(base) + len(variants) - 1

    cfg = OnceFormattedConfig.of(Config(base, cfg_text='a = 1', filename='x.py'))
    assert cfg.filename == 'x.py' and cfg.pretty_text == expected[0]
    cfg.b.c[2].d = 'y'  # changed in place: formatted anew, never the stale text
    assert cfg.pretty_text == Config(cfg.to_dict()).pretty_text != expected[0]
    assert cfg._format_python_code is True  # the flag is restored
    assert 'format_python_code' not in cfg._cfg_dict  # and never written into the config
    with pytest.raises(TypeError, match='Config or a dict'):
        OnceFormattedConfig.of([1])


def _artifacts(work_dir: str, name: str) -> dict:
    """The texts mmengine wrote from the config into a finished training run's work dir."""
    (log, ) = glob.glob(osp.join(work_dir, '2*', '2*.log'))
    with open(log) as f:
        logged = re.search(r'Config:\n(.*?)\n[\d/]+ [\d:]+ - mmengine', f.read(), re.S).group(1)
    with open(osp.join(work_dir, name)) as f:
        dumped = f.read()
    (vis, ) = glob.glob(osp.join(work_dir, '2*', 'vis_data', 'config.py'))
    with open(vis) as f:
        vis_text = f.read()
    ckpt = torch.load(osp.join(work_dir, 'epoch_1.pth'), map_location='cpu', weights_only=False)
    return dict(logged=logged, dumped=dumped, vis=vis_text, meta=ckpt['meta']['cfg'])


def test_runner_texts_equal_mmengine_runner_with_one_yapf_call(tmp_path, yapf_calls):
    register_all_modules(init_default_scope=False)
    data_root = make_toyworld(str(tmp_path / 'data'), num_train=2, num_test=1)
    config = write_stage1(str(tmp_path / 'coop_toy.py'), data_root, epochs=1, num_shots=2)
    work_dir = str(tmp_path / 'work')
    texts = {}
    for kind in ('mmengine', 'fvgpt'):
        cfg = Config.fromfile(config)
        cfg.work_dir = work_dir  # the same work dir: the two configs are the same text
        assert cfg.runner_type == 'FVGPTRunner'  # the runtime selects it
        # mmengine names the logger and visualizer by the start second: start in a new second,
        # so this Runner reuses no earlier Runner's (their folders were moved or are elsewhere)
        time.sleep(1.02 - time.time() % 1)
        yapf_calls.clear()
        runner = Runner.from_cfg(cfg) if kind == 'mmengine' else build_runner(cfg)
        assert (type(runner) is FVGPTRunner) == (kind == 'fvgpt')
        runner.train()
        texts[kind] = _artifacts(work_dir, 'coop_toy.py')
        texts[kind]['yapf'] = len(yapf_calls)
        os.rename(work_dir, work_dir + '_' + kind)
    # one yapf call per top-level statement (key) of the config, all in the first formatting
    assert texts['fvgpt'].pop('yapf') == len(runner.cfg.keys())
    assert texts['mmengine'].pop('yapf') >= 5  # log, dump, visualizer, runtime info, checkpoint
    assert texts['fvgpt'] == texts['mmengine']
    assert 'runner_type' in texts['fvgpt']['dumped']


@pytest.mark.parametrize('config', [
    'coop/coop_b2n_toyworld.py', 'fvgpt/coop_b2n_toyworld.py', 'fvgpt/promptsrc_b2n_toyworld.py',
    'fvgpt/mmrl_b2n_imagenet.py', 'maple/maple_xd_imagenet.py', 'zsclip/zsclip_b2n_toyworld.py'
])
def test_statement_by_statement_formatting_is_mmengines(config):
    # yapf formats each top-level statement of mmengine's text as within the whole text
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    clear_formatted_texts()
    assert OnceFormattedConfig.of(cfg).pretty_text == Config.pretty_text.fget(cfg)


def test_runners_of_one_config_built_in_one_second_log_into_their_own_files(tmp_path):
    # mmengine names a Runner's logger and visualizer by the config's stem and the start second
    # and reuses an existing instance of that name: two stages of a protocol started within one
    # second would share the first one's log file
    register_all_modules(init_default_scope=False)
    data_root = make_toyworld(str(tmp_path / 'data'), num_train=2, num_test=1)
    config = write_stage1(str(tmp_path / 'coop_toy.py'), data_root, epochs=1, num_shots=2)
    time.sleep(1.02 - time.time() % 1)  # both Runners start early in one second
    runners = {}
    for name in ('first', 'second'):
        cfg = Config.fromfile(config)
        cfg.work_dir = str(tmp_path / name)
        runners[name] = build_runner(cfg)
    assert runners['first'].timestamp == runners['second'].timestamp
    assert runners['first'].experiment_name != runners['second'].experiment_name
    for name, runner in runners.items():
        runner.logger.info(f'marker of the {name} runner')
    for name in runners:
        (log, ) = glob.glob(osp.join(str(tmp_path / name), '2*', '2*.log'))
        with open(log) as f:
            text = f.read()
        other = 'second' if name == 'first' else 'first'
        assert f'marker of the {name} runner' in text and f'marker of the {other}' not in text
