# MMRL on CLIP ViT-B/16 (OpenAI weights), the FVG-PT authors' recipe (JREion/FVG-PT
# configs/trainers/MMRL/vit_b16.yaml, TRAINER.MMRL): 5 representation tokens of dimension 512,
# mapped into both towers before layers 6-12, alpha 0.7, regularization weight 1.0; the base
# classes are scored by the fusion of the class-token and representation logits, new classes by
# the class-token logits alone (the authors' TASK "B2N").
model = dict(
    type='MMRL',
    # grad_checkpointing: the tokens' gradients flow through both towers' blocks 6-12 (all C class
    # prompts, the batch's images); recomputing the text tower's activations in the backward pass
    # instead of keeping them gives the same results in less memory (README, Benchmark: at 500
    # classes and batch 32, 0.29x of the authors' peak for 0.01x of their step time). True
    # recomputes both towers (0.22x peak, 0.05x more time), False neither (0.37x peak).
    clip=dict(
        type='OpenCLIP', model_name='ViT-B-16', pretrained='openai', grad_checkpointing='text'),
    representation_learner=dict(
        type='MMRLRepresentationLearner',
        n_tokens=5,
        rep_dim=512,
        rep_layers=[6, 7, 8, 9, 10, 11, 12]),
    alpha=0.7,
    reg_weight=1.0,
    template=None,  # the dataset's hand-made template (the authors' table is CoOp's)
    fused_inference='base',
    logit_scale=100.0,  # fixed, as the authors' (not CLIP's learned scale)
)
