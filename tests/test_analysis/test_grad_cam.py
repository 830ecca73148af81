"""Grad-CAM of the tiny ViT against a hand computation with torch.autograd on the same tokens,
for every model kind; the logits it explains are the model's own."""
import analysis_test_helpers as h
import pytest
import torch
import torch.nn.functional as F

from fvgpt.analysis import AttentionMapper, LastBlockCapture, scoring_logits


def hand_grad_cam(model, inputs, logits_of_feats, targets=None):
    leaf, rest, patches, _ = h.last_tokens_by_hand(model, inputs)
    logits = logits_of_feats(rest(leaf))
    targets = logits.argmax(1) if targets is None else targets
    (grads, ) = torch.autograd.grad(logits[torch.arange(len(targets)), targets].sum(), leaf)
    tokens, grads = patches(leaf.detach()), patches(grads)
    weights = grads.mean(dim=1)  # (B, D): mean over the 16 patches
    cam = torch.relu(torch.einsum('bd,bpd->bp', weights, tokens)).view(-1, 4, 4)
    return F.interpolate(
        cam[:, None], size=(32, 32), mode='bilinear', align_corners=False)[:, 0], logits


def plain_logits(model):
    text = model.text_feats().detach()
    return lambda feats: model.logit_scale * feats @ text.t()


@pytest.mark.parametrize('kind', ['coop', 'zero_shot'])
def test_grad_cam_equals_hand_computation(kind):
    model = getattr(h, kind)()
    inputs = h.images()
    expected, logits = hand_grad_cam(model, inputs, plain_logits(model))
    out = AttentionMapper(model)(inputs)
    assert torch.allclose(out.logits, logits.detach(), atol=1e-5)
    assert torch.equal(out.targets, logits.argmax(1))
    assert out.maps.shape == (3, 32, 32) and float(expected.max()) > 0
    assert torch.allclose(out.maps, expected, atol=1e-5, rtol=1e-4)
    # another target class gives another map, as by hand
    targets = (logits.argmax(1) + 1) % len(h.CLASSES)
    expected_other, _ = hand_grad_cam(model, inputs, plain_logits(model), targets)
    other = AttentionMapper(model)(inputs, targets).maps
    assert torch.allclose(other, expected_other, atol=1e-5, rtol=1e-4)
    assert not torch.allclose(other, out.maps)


def test_no_parameter_gradient_is_kept_and_flags_are_restored():
    model = h.coop()
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    AttentionMapper(model)(h.images())
    assert all(p.grad is None for p in model.parameters())
    assert [n for n, p in model.named_parameters() if p.requires_grad] == trainable
    assert 'encode_image' not in model.clip.__dict__  # the capture left nothing behind


@pytest.mark.parametrize('subsample', ['base', 'new'])
def test_fvgpt_explains_the_logits_of_the_branch_that_scores_the_split(subsample):
    model = h.fvgpt(subsample)
    inputs = h.images()
    with torch.no_grad():
        expected_logits = model.logits(inputs)
    backbone = model.backbone
    text = backbone.text_feats().detach()
    hand_text = backbone.foundation_text_feats()
    if subsample == 'base':
        # z_fdc = s_fdc norm(a_v(v)) norm(a_t(w))^T through the adapters
        def logits_of(feats):
            v = F.normalize(model.base_head.image_adapter(feats), dim=-1)
            w = F.normalize(model.base_head.text_adapter(text), dim=-1)
            return model.base_head.logit_scale * v @ w.t()
    else:
        # z_pc = (1 - b) z_full + b z_clip, v0 = v for a CoOp backbone
        def logits_of(feats):
            z_full = backbone.logit_scale * feats @ text.t()
            z_clip = backbone.foundation_logit_scale * feats @ hand_text.t()
            b, _ = model.new_head.gate(z_full, z_clip)
            return (1 - b[:, None]) * z_full + b[:, None] * z_clip

    expected, logits = hand_grad_cam(backbone, inputs, logits_of)
    assert torch.allclose(logits.detach(), expected_logits, atol=1e-4)
    out = AttentionMapper(model)(inputs)
    assert out.scored_by == subsample
    assert torch.allclose(out.logits, expected_logits, atol=1e-4)
    assert torch.allclose(out.maps, expected, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('position', ['end', 1])
def test_prompt_tokens_are_not_patches(position):
    model = h.prompted(position)
    inputs = h.images()
    expected, logits = hand_grad_cam(model, inputs, plain_logits(model))
    with torch.no_grad():
        assert torch.allclose(model.logits(inputs), logits.detach(), atol=1e-5)
    capture = LastBlockCapture(model.clip)
    with capture:
        scoring_logits(model, inputs, capture)
    call = capture.single_call()
    assert call.inputs.shape[1] == 1 + 16 + 3
    index = call.patch_index(16).tolist()
    assert index == (list(range(1, 17)) if position == 'end' else list(range(4, 20)))
    out = AttentionMapper(model)(inputs)
    assert torch.allclose(out.maps, expected, atol=1e-5, rtol=1e-4)


def test_a_backbone_that_blocks_the_gradient_is_reported():
    model = h.prompted('end', no_grad_image=True)
    with pytest.raises(RuntimeError, match='no gradient reaches'):
        AttentionMapper(model)(h.images())
    maps = AttentionMapper(model, method='cls_attention')(h.images()).maps
    assert maps.shape == (3, 32, 32)


@pytest.mark.parametrize('fvgpt_subsample', [None, 'base', 'new'])
def test_ivlp_and_fvgpt_on_ivlp(fvgpt_subsample):
    # IVLP's two visual prompts sit after the patches; FVG-PT's new branch also runs CLIP
    # prompt-free for z_clip, a pass that is not the one explained
    model = h.ivlp(fvgpt_subsample)
    inputs = h.images()
    with torch.no_grad():
        expected_logits = model.logits(inputs)
    mapper = AttentionMapper(model)
    out = mapper(inputs)
    assert torch.allclose(out.logits, expected_logits, atol=1e-4)
    call = mapper.capture.single_call()
    assert call.inputs.shape[1] == 1 + 16 + 2
    assert call.patch_index(16).tolist() == list(range(1, 17))
    assert out.maps.shape == (3, 32, 32) and float(out.maps.amax()) > 0


def test_cocoop_gradient_also_flows_through_the_prompts_made_from_the_image():
    model = h.build(dict(type='CoCoOp', clip=h.tiny_clip_cfg()))
    with torch.no_grad():  # a meta-net whose shift matters
        for p in model.prompt_learner.meta_net.parameters():
            p.mul_(8.0)
    inputs = h.images()

    def logits_of(feats):  # the class text is a function of the image feature
        text = model.text_feats(image_feats=feats[:, None])
        return model.logit_scale * torch.einsum('bd,bcd->bc', feats, text)

    def logits_of_fixed_text(feats):
        text = model.text_feats(image_feats=feats[:, None].detach())
        return model.logit_scale * torch.einsum('bd,bcd->bc', feats, text)

    expected, logits = hand_grad_cam(model, inputs, logits_of)
    fixed, _ = hand_grad_cam(model, inputs, logits_of_fixed_text, logits.argmax(1))
    out = AttentionMapper(model)(inputs)
    assert torch.allclose(out.logits, logits.detach(), atol=1e-4)
    assert torch.allclose(out.maps, expected, atol=1e-5, rtol=1e-4)
    assert not torch.allclose(out.maps, fixed, atol=1e-5, rtol=1e-4)
