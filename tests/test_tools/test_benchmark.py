import importlib.util
import json
import os.path as osp

import pytest

from fvgpt.testing import REPO, run_tool


def run_benchmark(tmp_path, model: str, train_batch: int, test_batch: int, iters: int) -> dict:
    """Writes a config of ``model`` (its dict's text) on the CoOp schedule and returns the JSON
    that ``tools/analysis/benchmark.py`` prints for it at 10 classes."""
    config = tmp_path / 'bench.py'
    config.write_text(f"_base_ = ['{REPO}/configs/_base_/schedules/coop_b2n.py']\n"
                      f'model = {model}\n'
                      f'train_dataloader = dict(batch_size={train_batch})\n'
                      f'test_dataloader = dict(batch_size={test_batch})\n')
    proc = run_tool([
        'tools/analysis/benchmark.py',
        str(config), '--num-classes', '10', '--iters',
        str(iters), '--warmup', '1'
    ],
                    timeout=300)
    return json.loads(proc.stdout[proc.stdout.index('{'):])


def test_benchmark_prints_timings_and_memory(tmp_path):
    result = run_benchmark(
        tmp_path,
        "dict(type='CoOp', clip=dict(type='OpenCLIP', model_name='fvgpt-tiny-vit', pretrained="
        "'never/downloaded.pt'), prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4))",
        train_batch=4,
        test_batch=8,
        iters=2)
    assert result['train_batch_size'] == 4 and result['test_batch_size'] == 8
    assert result['image_size'] == 32 and result['num_classes'] == 10
    assert result['train_step_s_median'] > 0 and result['test_forward_s_median'] > 0
    assert result['train_peak_mem_mb'] > 0
    assert result['trainable_params'] == 4 * 64  # n_ctx x text width: only the context


def test_benchmark_runs_fvgpt_configs_and_times_the_backbone_passes(tmp_path):
    # FVG-PT on IVLP: the CLIP sits inside the backbone; the stage-1 checkpoint is not needed
    result = run_benchmark(
        tmp_path,
        "dict(type='FVGPT', backbone_ckpt='work_dirs/never_trained', backbone=dict(type='IVLP',"
        " clip=dict(type='OpenCLIP', model_name='fvgpt-tiny-vit', pretrained="
        "'never/downloaded.pt'), prompt_learner=dict(type='IVLPPromptLearner', n_ctx_text=2,"
        " n_ctx_vision=2, depth_text=2, depth_vision=2)))",
        train_batch=4,
        test_batch=8,
        iters=2)
    assert result['backbone'] == 'IVLP' and result['backbone_image_encoder'] == 'prompted'
    assert result['backbone_image_passes_s_median'] > 0
    assert result['stage2_step_over_image_passes'] > 0
    assert result['image_size'] == 32
    # a prompted backbone: also the prompt-free pass z_clip needs, timed with the others
    assert result['required_image_passes_s_median'] > 0
    assert result['stage2_step_over_required_passes'] > 0
    # only FVG-PT's heads train: 2 adapters (64 -> 64 -> 64 bottleneck) and the two gates
    assert result['trainable_params'] == 2 * (64 * 64 + 64 + 64 * 64 + 64) + 2 * (3 * 32 + 32 + 32 +
                                                                                  1)


def test_benchmark_runs_fvgpt_on_an_image_conditioned_backbone(tmp_path):
    # FVG-PT on CoCoOp: the backbone passes include the per-image class prompts of x and x_fg
    result = run_benchmark(
        tmp_path, "dict(type='FVGPT', backbone_ckpt='work_dirs/never_trained', backbone=dict("
        "type='CoCoOp', clip=dict(type='OpenCLIP', model_name='fvgpt-tiny-vit', pretrained="
        "'never/downloaded.pt')))",
        train_batch=2,
        test_batch=3,
        iters=1)
    assert result['backbone'] == 'CoCoOp' and result['backbone_text_conditioning'] == 'image'
    assert result['backbone_image_passes_s_median'] > 0
    assert result['stage2_step_over_image_passes'] > 0


def _analysis_module(name):
    # a script-side module of tools/analysis, loaded from its file (not a package)
    spec = importlib.util.spec_from_file_location(f'analysis_{name}',
                                                  osp.join(REPO, 'tools', 'analysis', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_timing_loop_shared_by_both_benchmarks():
    timing = _analysis_module('benchmark_timing')
    calls = []
    cpu = []
    times = timing.timed(
        lambda: calls.append(sum(range(20000))), iters=3, warmup=2, device='cpu', cpu_times=cpu)
    assert len(calls) == 5  # warm-up calls run but are not timed
    assert len(times) == 3 and len(cpu) == 3 and all(t > 0 for t in times)
    with pytest.raises(ValueError, match='iters'):
        timing.timed(lambda: None, iters=0, warmup=1, device='cpu')
    assert timing.peak_memory_mb('cpu') == timing.rss_mb() > 0


def test_authors_code_needs_a_checkout(tmp_path):
    authors = _analysis_module('authors_code')
    with pytest.raises(FileNotFoundError, match='JREion/FVG-PT'):
        authors.load_authors_trainers(str(tmp_path), ['coop'])
    # every method the benchmark offers has the authors' recipe batch and trainable-name rule
    assert sorted(authors.RECIPES) == ['coop', 'ivlp', 'kgcoop', 'mmrl', 'promptsrc']
    assert authors.RECIPES['mmrl']['trainable']('image_encoder.proj_rep')
    assert not authors.RECIPES['promptsrc']['trainable']('prompt_learner.ZS_image_encoder.conv1')
    assert authors.RECIPES['promptsrc']['trainable']('image_encoder.transformer.resblocks.1.'
                                                     'VPT_shallow')
