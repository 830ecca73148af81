# CoCoOp on ToyCLIP (checkpoints/toyclip_vit_t8.pt, the toy world's small CLIP, loaded from a local
# file like real weights; the path is relative to the repository root): the authors' recipe of
# cocoop_vit_b16.py (KaiyangZhou/CoOp configs/trainers/CoCoOp/vit_b16_c4_ep10_batch1_ctxv1.yaml);
# ToyCLIP's 128-wide features give a meta-net of 8 hidden units.
model = dict(
    type='CoCoOp',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    prompt_learner=dict(
        type='CoCoOpPromptLearner', n_ctx=4, ctx_init='a photo of a', meta_net_ratio=16),
    eval_prompts_per_call=8192,
)
