# IVLP on ToyCLIP (toyclip-vit-t8: 4 vision and 3 text blocks). ViT-B/16's recipe prompts the
# first 9 of 12 blocks and leaves the last ones unprompted; here the first 3 of 4 vision blocks and
# 2 of 3 text blocks, with the same 4 + 4 tokens and "a photo of a" init (ivlp_vit_b16.py).
model = dict(
    type='IVLP',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='IVLPPromptLearner',
        n_ctx_text=4,
        n_ctx_vision=4,
        depth_text=2,
        depth_vision=3,
        ctx_init='a photo of a',
        init_std=0.02),
)
