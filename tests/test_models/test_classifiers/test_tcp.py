"""TCP against a plain restatement of its authors' computation, its recipe checks, and FVG-PT on it.

The reference below restates htyao89/Textual-based_Class-aware_prompt_tuning ``trainers/tcp.py``
(``PromptLearner``, ``TextEncoder``, ``CustomCLIP.forward``, fp32 path) with
``trainers/clip_text/model.py``'s ``ResidualAttentionBlock_MaPLe`` on the raw open_clip model:
full 77-token sequences, one plain loop over the text blocks, the class-aware tokens written
over positions ``1..M`` by hand before the chosen block.
"""
import pytest
import torch
import torch.nn.functional as F
from authors_reference import causal_mask, plain_image_features, plain_text_features, tokenize
from mmpretrain.structures import DataSample

from fvgpt.registry import MODELS
from fvgpt.testing import TINY_CLIP_NAME, tiny_clip_cfg

CLASSES = ['red_circle', 'blue square', 'green star']
NEW_CLASSES = ['yellow heart', 'purple_moon']
DATASET_TEMPLATE = 'a photo of a {}.'


def build_tcp(block=1, template='{}.', **kw):
    learner = dict(
        type='TCPPromptLearner', n_ctx=4, class_token_block=block, prompt_template=template)
    learner.update(kw.pop('learner', {}))
    return MODELS.build(dict(type='TCP', clip=tiny_clip_cfg(), prompt_learner=learner, **kw))


def samples(labels):
    return [DataSample().set_gt_label(int(y)) for y in labels]


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


def tcp_reference(model,
                  classnames,
                  ctx,
                  meta,
                  images,
                  labels,
                  custom_template,
                  hand_template,
                  block,
                  weight=8.0):
    """``CustomCLIP.forward`` of the authors' ``tcp.py`` (training branch), fp32.

    Args:
        custom_template (str): the authors' ``CUSTOM_TEMPLATES`` entry: its first ``M`` tokens
            are the context's positions (``"X X X X {}, a type of pet."``, or UCF101's
            ``"a photo of a person doing {}."``).
        hand_template (str): their ``CUSTOM_TEMPLATES_ori`` entry (the hand prompt).
        meta (dict): the meta-net's ``linear1`` / ``linear2`` weights and biases.
    """
    n_ctx = ctx.shape[0]
    names = [c.replace('_', ' ') for c in classnames]
    # PromptLearner.__init__: the frozen CLIP's hand-prompt features, normalized
    hand = plain_text_features(model,
                               tokenize(TINY_CLIP_NAME, [hand_template.format(n) for n in names]))
    # PromptLearner.forward: meta_net(text_features), reshaped to (C, -1, width)
    class_feature = F.linear(
        quick_gelu(F.linear(hand, meta['linear1.weight'], meta['linear1.bias'])),
        meta['linear2.weight'], meta['linear2.bias']).reshape(len(names), -1, ctx.shape[1])
    tokens = tokenize(TINY_CLIP_NAME, [custom_template.format(n) for n in names])
    emb = model.token_embedding(tokens)
    prompts = torch.cat(
        [emb[:, :1], ctx.unsqueeze(0).expand(len(names), -1, -1), emb[:, 1 + n_ctx:]], dim=1)
    # TextEncoder.forward with ResidualAttentionBlock_MaPLe: before block `counter in layers`
    # positions 1..1+n are weight * class_feature + (1 - weight) * themselves, weight 1.0
    x = prompts + model.positional_embedding
    for counter, resblock in enumerate(model.transformer.resblocks):
        if counter == block:
            n = class_feature.shape[1]
            x = torch.cat([x[:, :1], 1.0 * class_feature + 0.0 * x[:, 1:1 + n], x[:, 1 + n:]],
                          dim=1)
        x = resblock(x, attn_mask=causal_mask(x.shape[1]))
    x = model.ln_final(x)
    text = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)] @ model.text_projection
    text = text / text.norm(dim=-1, keepdim=True)
    image = plain_image_features(model, images)
    logits = model.logit_scale.exp() * image @ text.t()
    score = 1.0 - torch.mean(torch.nn.CosineSimilarity(dim=1, eps=1e-07)(text, hand))
    ce = F.cross_entropy(logits, labels)
    return dict(logits=logits, ce=ce, score=score, total=ce + weight * score)


def perturbed(model):
    with torch.no_grad():  # away from the init, as after training
        model.prompt_learner.ctx.add_(0.3 * torch.randn_like(model.prompt_learner.ctx))
        for p in model.prompt_learner.meta_net.parameters():
            p.add_(0.1 * torch.randn_like(p))
    return model


def reference_of(model, classnames, images, labels, custom_template, hand_template, block):
    learner = model.prompt_learner
    meta = {k: v.detach() for k, v in learner.meta_net.state_dict().items()}
    return tcp_reference(model.clip.model, classnames, learner.ctx.detach(), meta, images, labels,
                         custom_template, hand_template, block)


# (our prompt_template, the authors' CUSTOM_TEMPLATES entry, their CUSTOM_TEMPLATES_ori entry)
TEMPLATES = [
    ('{}.', 'X X X X {}.', 'a photo of a {}.'),  # Caltech101, ImageNet, ...
    ('{}, a type of pet.', 'X X X X {}, a type of pet.', 'a photo of a {}, a type of pet.'),
    ('person doing {}.', 'a photo of a person doing {}.', 'a photo of a person doing {}.'),  # UCF
]


@pytest.mark.parametrize('block', [0, 1])
@pytest.mark.parametrize('ours,custom,hand', TEMPLATES)
def test_tcp_equals_authors_computation(block, ours, custom, hand):
    torch.manual_seed(0)
    model = perturbed(build_tcp(block=block, template=ours, knowledge_template=hand))
    model.set_class_list(CLASSES, [DATASET_TEMPLATE])
    images, labels = torch.randn(4, 3, 32, 32), torch.tensor([0, 2, 1, 2])
    model.train()
    losses = model.loss(images, samples(labels))
    ref = reference_of(model, CLASSES, images, labels, custom, hand, block)
    assert float(ref['score']) > 1e-3
    torch.testing.assert_close(losses['loss_ce'], ref['ce'], atol=1e-4, rtol=0)
    torch.testing.assert_close(losses['loss_kg'], 8.0 * ref['score'], atol=1e-4, rtol=0)
    # gradients of the context and the meta-net, too
    total = losses['loss_ce'] + losses['loss_kg']
    ours_grads = torch.autograd.grad(
        total, [model.prompt_learner.ctx, *model.prompt_learner.meta_net.parameters()])
    learner = model.prompt_learner
    ctx = learner.ctx.detach().clone().requires_grad_(True)
    meta = {
        k: v.detach().clone().requires_grad_(True)
        for k, v in learner.meta_net.state_dict().items()
    }
    ref = tcp_reference(model.clip.model, CLASSES, ctx, meta, images, labels, custom, hand, block)
    ref_grads = torch.autograd.grad(ref['total'],
                                    [ctx, *[meta[k] for k in learner.meta_net.state_dict()]])
    for got, want in zip(ours_grads, ref_grads):
        torch.testing.assert_close(got, want, atol=1e-4, rtol=1e-4)
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model(images), ref['logits'], atol=1e-4, rtol=0)


def test_tcp_class_tokens_reach_the_logits_and_follow_the_class_list():
    torch.manual_seed(1)
    model = perturbed(build_tcp(block=1))
    model.set_class_list(CLASSES, [DATASET_TEMPLATE])
    model.eval()
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        before = model(images)
        # the meta-net's output reaches the logits (a TCP whose tokens were dropped would not
        # move; a constant shift of every token would not either: LayerNorm removes it)
        bias = model.prompt_learner.meta_net.linear2.bias
        bias.add_(torch.randn_like(bias))
        model.invalidate_text_cache()
        after = model(images)
    assert (before - after).abs().max() > 1e-3
    # new classes get their own class-aware tokens, from their own hand prompts
    model.set_class_list(NEW_CLASSES, [DATASET_TEMPLATE])
    ref = reference_of(model, NEW_CLASSES, images, torch.tensor([0, 1]), 'X X X X {}.',
                       DATASET_TEMPLATE, 1)
    with torch.no_grad():
        torch.testing.assert_close(model(images), ref['logits'], atol=1e-4, rtol=0)


def test_tcp_defaults_are_the_authors_recipe_and_only_its_prompts_train():
    torch.manual_seed(0)
    model = MODELS.build(dict(type='TCP', clip=dict(type='OpenCLIP', model_name='ViT-B-16')))
    learner = model.prompt_learner
    assert model.kg_weight == 8.0 and model.image_encoder == 'clip'
    assert (learner.n_ctx, learner.ctx_init, learner.class_token_block) == (4, None, 8)
    # the authors' meta-net: 512 -> 128 -> 4 x 512 on ViT-B/16
    assert [tuple(p.shape) for p in learner.meta_net.parameters()] == [(128, 512), (128, ),
                                                                       (2048, 128), (2048, )]


def test_tcp_trains_context_and_meta_net_only():
    torch.manual_seed(0)
    model = perturbed(build_tcp())
    model.set_class_list(CLASSES, [DATASET_TEMPLATE])
    model.train()
    losses = model.loss(torch.randn(2, 3, 32, 32), samples([0, 1]))
    (losses['loss_ce'] + losses['loss_kg']).backward()
    trained = {n for n, p in model.named_parameters() if p.grad is not None}
    assert trained == {
        'prompt_learner.ctx', 'prompt_learner.meta_net.linear1.weight',
        'prompt_learner.meta_net.linear1.bias', 'prompt_learner.meta_net.linear2.weight',
        'prompt_learner.meta_net.linear2.bias'
    }


def test_tcp_bad_arguments_explain():
    with pytest.raises(ValueError, match=r'class_token_block must be in \[0, 1\]'):
        build_tcp(block=2)
    with pytest.raises(ValueError, match='prompt_template must hold one'):
        build_tcp(template='a photo')
    with pytest.raises(TypeError, match='TCPPromptLearner'):
        MODELS.build(
            dict(
                type='TCP',
                clip=tiny_clip_cfg(),
                prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4)))


def test_tcp_checkpoint_round_trip_and_recipe_mismatch():
    torch.manual_seed(3)
    model = perturbed(build_tcp())
    state = model.state_dict()
    assert not any(k.startswith('clip.') for k in state)  # the frozen CLIP stays out
    torch.manual_seed(3)  # the same random CLIP (its weights' hash is in the recipe)
    fresh = build_tcp()
    fresh.load_state_dict(state, strict=True)
    for key, value in model.state_dict().items():
        if not key.endswith('_extra_state'):
            torch.testing.assert_close(fresh.state_dict()[key], value)
    for other, field in [(dict(block=0), 'class_token_block'),
                         (dict(template='{}, a type of pet.'), 'prompt_template'),
                         (dict(learner=dict(n_ctx=2)), 'n_ctx'),
                         (dict(knowledge_template='a photo of an aircraft {}.'),
                          'knowledge_template')]:
        torch.manual_seed(3)
        with pytest.raises(ValueError, match=field):
            build_tcp(**other).load_state_dict(state)
    torch.manual_seed(3)
    kgcoop = MODELS.build(
        dict(
            type='KgCoOp',
            clip=tiny_clip_cfg(),
            prompt_learner=dict(type='CoOpPromptLearner', n_ctx=4, ctx_init='a photo of a')))
    with pytest.raises(ValueError, match='backbone'):  # a TCP checkpoint is not KgCoOp's
        kgcoop.load_state_dict(state)


def test_fvgpt_on_tcp_scores_base_and_new_from_tcp_features():
    import fvgpt.models.fvgpt  # noqa: F401  (registers FVGPT)
    torch.manual_seed(4)
    model = perturbed(build_tcp())
    model.eval()
    fvgpt_model = MODELS.build(
        dict(
            type='FVGPT',
            backbone=model,
            test_branch='auto',
            base_head=dict(type='FDCHead', logit_scale=None)))
    with torch.no_grad():  # adapters at the identity: z_fdc is TCP's own logits
        for adapter in (fvgpt_model.base_head.image_adapter, fvgpt_model.base_head.text_adapter):
            adapter.up.weight.zero_()
    fvgpt_model.eval()
    images = torch.randn(3, 3, 32, 32)
    labels = torch.tensor([0, 1, 0])
    with torch.no_grad():
        fvgpt_model.set_class_list(CLASSES, [DATASET_TEMPLATE], subsample='base')
        base = fvgpt_model.branch_outputs(images)
        fvgpt_model.set_class_list(NEW_CLASSES, [DATASET_TEMPLATE], subsample='new')
        new = fvgpt_model.branch_outputs(images)
    ref_base = reference_of(model, CLASSES, images, labels, 'X X X X {}.', DATASET_TEMPLATE, 1)
    ref_new = reference_of(model, NEW_CLASSES, images, labels[:3] % 2, 'X X X X {}.',
                           DATASET_TEMPLATE, 1)
    torch.testing.assert_close(base['logits_fdc'], ref_base['logits'], atol=1e-4, rtol=0)
    torch.testing.assert_close(new['logits_full'], ref_new['logits'], atol=1e-4, rtol=0)
    clip = model.clip.model
    zs_image = F.normalize(clip.encode_image(images), dim=-1)
    zs_text = model.foundation_text_feats(NEW_CLASSES, [DATASET_TEMPLATE])
    torch.testing.assert_close(
        new['logits_clip'], clip.logit_scale.exp() * zs_image @ zs_text.t(), atol=1e-4, rtol=0)
