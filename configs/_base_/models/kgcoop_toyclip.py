# KgCoOp on ToyCLIP (checkpoints/toyclip_vit_t8.pt, the toy world's small CLIP, loaded from a local
# file like real weights; the path is relative to the repository root): the authors' recipe of
# kgcoop_vit_b16.py (JREion/FVG-PT configs/trainers/KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml).
model = dict(
    type='KgCoOp',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='CoOpPromptLearner',
        n_ctx=4,
        ctx_init='a photo of a',
        class_specific=False,
        class_token_position='end'),
    kg_weight=2.0,
    knowledge_template=None,  # the dataset's template
)
