# CoOp on CLIP ViT-B/16 (OpenAI weights), the B2N recipe of METHOD.md: 4 context tokens, random
# init, one context shared by all classes, class token at the end.
model = dict(
    type='CoOp',
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai'),
    prompt_learner=dict(
        type='CoOpPromptLearner',
        n_ctx=4,
        ctx_init=None,
        class_specific=False,
        class_token_position='end',
        init_std=0.02),
)
