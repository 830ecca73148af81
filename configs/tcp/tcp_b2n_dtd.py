# TCP (4 context tokens, class-aware tokens before text block 8, knowledge weight 8.0) on
# the base classes of DTD, CLIP ViT-B/16, 16 shots. Recipe:
# htyao89/Textual-based_Class-aware_prompt_tuning configs/trainers/TCP/vit_b16_ep100_ctxv1.yaml
# with scripts/base2new_train.sh (N_CTX 4, CSC False, class token at the end).
#   python tools/train.py configs/tcp/tcp_b2n_dtd.py
_base_ = [
    '../_base_/models/tcp_vit_b16.py', '../_base_/datasets/coop_b2n.py',
    '../_base_/schedules/tcp_b2n.py', '../_base_/default_runtime.py'
]
# The authors' prompt (tcp.py CUSTOM_TEMPLATES['DescribableTextures']): "X X X X {} texture.",
# its first 4 tokens the context.
# Their hand prompt (CUSTOM_TEMPLATES_ori) differs from the dataset's template here.
model = dict(
    prompt_learner=dict(prompt_template='{} texture.'),
    knowledge_template='a photo of a {}, a type of texture.')
train_dataloader = dict(
    batch_size=32, dataset=dict(type='DTD', pipeline=_base_.rrc_flip_train_pipeline))
val_dataloader = dict(dataset=dict(type='DTD'))
test_dataloader = dict(dataset=dict(type='DTD'))
