# IVLP (independent vision-language prompts) on CLIP ViT-B/16 (OpenAI weights), the recipe of the
# authors' configs/trainers/IVLP/vit_b16_c2_ep20_batch4_4+4ctx.yaml (muzairkhattak/PromptSRC; the
# FVG-PT repository ships the trainer, trainers/independentVL.py, but no IVLP yaml): 4 text + 4
# vision prompt tokens at the first 9 of 12 blocks of each tower, text context initialized from
# "a photo of a". The authors ran it in fp16 (PREC: "fp16", the whole CLIP in half precision);
# here it runs in fp32, or mixed precision with `tools/train.py --amp`.
model = dict(
    type='IVLP',
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
        ctx_init='a photo of a',
        init_std=0.02),
)
