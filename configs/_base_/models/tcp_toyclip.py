# TCP on ToyCLIP (checkpoints/toyclip_vit_t8.pt, the toy world's small CLIP, loaded from a local
# file like real weights; the path is relative to the repository root): the recipe of
# tcp_vit_b16.py (htyao89/Textual-based_Class-aware_prompt_tuning TCP/vit_b16_ep100_ctxv1.yaml).
# ToyCLIP's text tower has 3 blocks: the class-aware tokens enter before block 2, at the same
# two-thirds depth as the authors' block 8 of 12.
model = dict(
    type='TCP',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='TCPPromptLearner', n_ctx=4, ctx_init=None, prompt_template='{}.',
        class_token_block=2),
    kg_weight=8.0,
    knowledge_template=None,  # the dataset's template
)
