# PromptSRC on CLIP ViT-B/16 (OpenAI weights), the FVG-PT authors' recipe (JREion/FVG-PT
# configs/trainers/PromptSRC/vit_b16_c2_ep10_batch32_4+4ctx.yaml, TRAINER.PROMPTSRC): IVLP prompts,
# 4 text tokens initialized from "a photo of a" and 4 vision tokens, both to depth 9; the
# mutual-agreement losses with the frozen CLIP, text L1 weight 25 (teacher: the text features
# averaged over 60 ImageNet templates), image L1 weight 10, and the KL on the logits. The Gaussian
# prompt aggregation (GPA_MEAN 15, GPA_STD 1) is a hook: see schedules/promptsrc_b2n.py.
model = dict(
    type='PromptSRC',
    # grad_checkpointing: the prompts' gradients flow through both towers' blocks (all C class
    # prompts, the batch's images); recomputing each block's activations in the backward pass
    # instead of keeping them gives the same results in a fraction of the memory (README,
    # Benchmark). Set it to False to trade that memory for less step time (about 30% less on a CPU).
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai', grad_checkpointing=True),
    prompt_learner=dict(
        type='IVLPPromptLearner',
        n_ctx_text=4,
        n_ctx_vision=4,
        depth_text=9,
        depth_vision=9,
        ctx_init='a photo of a'),
    text_weight=25.0,
    image_weight=10.0,
    teacher_templates=None,  # PROMPTSRC_TEMPLATES, the authors' 60
)
