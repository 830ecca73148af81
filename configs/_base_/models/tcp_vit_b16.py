# TCP on CLIP ViT-B/16 (OpenAI weights), its authors' recipe (htyao89/Textual-based_Class-aware_
# prompt_tuning configs/trainers/TCP/vit_b16_ep100_ctxv1.yaml + scripts/base2new_train.sh, read
# with trainers/tcp.py): 4 context tokens shared by all classes (N_CTX 4; the yaml's CTX_INIT
# False: random N(0, 0.02^2), not "a photo of a"), class token at the end; class-aware tokens
# meta_net(u_c) from the frozen CLIP's hand-prompt features replace the context before text block
# 8 (their layers=[8], weight 1.0); the knowledge-guided loss at weight 8.0 (fixed in tcp.py: the
# script's TRAINER.COOP.W 1.0 does not reach the loss). Each dataset config sets the authors'
# prompt words (CUSTOM_TEMPLATES) and, where it differs from the dataset's, their hand template
# (CUSTOM_TEMPLATES_ori).
model = dict(
    type='TCP',
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai'),
    prompt_learner=dict(
        type='TCPPromptLearner', n_ctx=4, ctx_init=None, prompt_template='{}.',
        class_token_block=8),
    kg_weight=8.0,
    knowledge_template=None,  # the dataset's template
)
