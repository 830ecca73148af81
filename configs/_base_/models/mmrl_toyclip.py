# MMRL on ToyCLIP (checkpoints/toyclip_vit_t8.pt, the toy world's small CLIP, loaded from a local
# file like real weights; the path is relative to the repository root): the authors' recipe of
# mmrl_vit_b16.py (JREion/FVG-PT configs/trainers/MMRL/vit_b16.yaml), with the representation
# tokens before ToyCLIP's layers 2-3, the second half of its 3-layer text tower as 6-12 is of
# ViT-B/16's 12 (its 4-layer image tower carries them through its last layer).
model = dict(
    type='MMRL',
    clip=dict(
        type='OpenCLIP', model_name='toyclip-vit-t8', pretrained='checkpoints/toyclip_vit_t8.pt'),
    representation_learner=dict(
        type='MMRLRepresentationLearner', n_tokens=5, rep_dim=512, rep_layers=[2, 3]),
    alpha=0.7,
    reg_weight=1.0,
    template=None,
    fused_inference='base',
    logit_scale=100.0,
)
