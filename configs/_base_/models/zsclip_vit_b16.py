# Zero-shot CLIP ViT-B/16 (OpenAI weights) with the dataset's hand-made template.
model = dict(
    type='ZeroShotCLIP',
    clip=dict(type='OpenCLIP', model_name='ViT-B-16', pretrained='openai'),
    templates=None,
)
