# KgCoOp on CLIP ViT-B/16 (OpenAI weights), the FVG-PT authors' recipe (JREion/FVG-PT
# configs/trainers/KgCoOp/vit_b16_ep10_ctxv1_bs4_lr35.yaml, TRAINER.COOP): CoOp's context of 4
# tokens initialized from "a photo of a", shared by all classes, class token at the end, and the
# knowledge-guided loss of weight W = 2.0 to the hand prompt's CLIP features.
model = dict(
    type='KgCoOp',
    # grad_checkpointing: the context's gradient flows through the text tower over all C class
    # prompts; recomputing each block's activations in the backward pass instead of keeping them
    # gives the same results in a fraction of the memory (README, Benchmark).
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai', grad_checkpointing=True),
    prompt_learner=dict(
        type='CoOpPromptLearner',
        n_ctx=4,
        ctx_init='a photo of a',
        class_specific=False,
        class_token_position='end'),
    kg_weight=2.0,
    # None: the dataset's hand-made template (CoOp's); the DTD config sets the authors' own.
    knowledge_template=None,
)
