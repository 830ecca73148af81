# PromptSRC on ToyCLIP (checkpoints/toyclip_vit_t8.pt, the toy world's small CLIP, loaded from a
# local file like real weights; the path is relative to the repository root): the authors' recipe
# of promptsrc_vit_b16.py (JREion/FVG-PT configs/trainers/PromptSRC/
# vit_b16_c2_ep10_batch32_4+4ctx.yaml) with the prompts to three quarters of each tower's depth,
# as 9 is of ViT-B/16's 12: text 2 of 3 blocks, vision 3 of 4.
model = dict(
    type='PromptSRC',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='IVLPPromptLearner',
        n_ctx_text=4,
        n_ctx_vision=4,
        depth_text=2,
        depth_vision=3,
        ctx_init='a photo of a'),
    text_weight=25.0,
    image_weight=10.0,
    teacher_templates=None,
)
