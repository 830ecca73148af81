# MaPLe on ToyCLIP (toyclip-vit-t8: 4 vision and 3 text blocks). ViT-B/16's recipe prompts the
# first 9 of 12 blocks of both towers; one depth serves both towers here too, and the text tower
# has 3 blocks: depth 2 (the text depth of the toy IVLP and PromptSRC), with the same 2 tokens and
# "a photo of a" init (maple_vit_b16.py). The maps go from text width 64 to vision width 128.
model = dict(
    type='MaPLe',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='MaPLePromptLearner', n_ctx=2, depth=2, ctx_init='a photo of a', init_std=0.02),
)
