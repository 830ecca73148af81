# CoCoOp on CLIP ViT-B/16 (OpenAI weights), the authors' recipe (KaiyangZhou/CoOp
# configs/trainers/CoCoOp/vit_b16_c4_ep10_batch1_ctxv1.yaml, TRAINER.COCOOP): 4 context tokens
# initialized from "a photo of a", shifted per image by the meta-net (Linear 512 -> 32, ReLU,
# Linear 32 -> 512) of its CLIP feature; class token at the end.
model = dict(
    type='CoCoOp',
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai'),
    prompt_learner=dict(
        type='CoCoOpPromptLearner', n_ctx=4, ctx_init='a photo of a', meta_net_ratio=16),
    # without gradient (testing, FVG-PT), text-encoder calls of at most this many prompts
    # (whole images: at 500 classes, 16 images of a test batch of 100 per call)
    eval_prompts_per_call=8192,
)
