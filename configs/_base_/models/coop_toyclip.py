# CoOp on ToyCLIP (toyclip-vit-t8, the toy world's small CLIP shipped in checkpoints/; the path is
# relative to the repository root, where the tools run), with the recipe of coop_vit_b16.py:
# 4 context tokens, random init, one shared context, class token at the end.
model = dict(
    type='CoOp',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='CoOpPromptLearner',
        n_ctx=4,
        ctx_init=None,
        class_specific=False,
        class_token_position='end',
        init_std=0.02),
)
