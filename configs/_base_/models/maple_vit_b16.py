# MaPLe (multi-modal prompt learning) on CLIP ViT-B/16 (OpenAI weights), the recipe of the authors'
# configs/trainers/MaPLe/vit_b16_c2_ep5_batch4_2ctx.yaml (muzairkhattak/multimodal-prompt-learning,
# TRAINER.MAPLE): 2 prompt tokens per layer (N_CTX) to depth 9 (PROMPT_DEPTH) in both towers, the
# text context initialized from "a photo of a" (CTX_INIT); the vision tokens of each of the first
# 9 layers are a linear map (text width 512 -> vision width 768) of that layer's text tokens.
# The authors ran it in fp16 (PREC: "fp16", the whole CLIP in half precision); here it runs in
# fp32, or mixed precision with `tools/train.py --amp`.
model = dict(
    type='MaPLe',
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai'),
    prompt_learner=dict(
        type='MaPLePromptLearner', n_ctx=2, depth=9, ctx_init='a photo of a', init_std=0.02),
)
