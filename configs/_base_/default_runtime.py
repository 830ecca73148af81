# Runtime shared by every fvgpt config.
default_scope = 'fvgpt'
# mmengine's Runner with the config text formatted (yapf) once per config, not on every use.
runner_type = 'FVGPTRunner'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # Checkpoints hold only what was trained (the frozen CLIP is left out): a few KB for CoOp.
    # Written atomically (temporary file, then rename): a full disk or a kill mid-write leaves
    # the earlier checkpoints and `last_checkpoint` as they were, never a truncated file.
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        max_keep_ckpts=2,
        save_last=True,
        backend_args=dict(backend='fvgpt_atomic_local')),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
# ClassListHook: sets the model's class list (and templates) from the dataset before train / val
# / test. WeightsOnlyCheckpointHook: checkpoints load with torch.load(weights_only=True).
# EpochSeedHook: each epoch's random draws (augmentations in any worker, model-side draws) come
# from (seed, epoch), so `--resume` after a stop or a kill gives the uninterrupted result.
custom_hooks = [
    dict(type='ClassListHook'),
    dict(type='WeightsOnlyCheckpointHook'),
    dict(type='EpochSeedHook')
]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

vis_backends = [dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
# Seeds 1, 2, 3 in the B2N protocol; the few-shot draw of the datasets uses its own `seed`.
randomness = dict(seed=1, deterministic=False)
