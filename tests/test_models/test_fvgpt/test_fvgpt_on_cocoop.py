"""FVG-PT on a backbone whose class prompts depend on the image (CoCoOp): the foreground view
conditions its own prompts, FDC adapts per-image text features, z_clip is plain CLIP's."""
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper

from fvgpt.models.fvgpt import FVGPT
from fvgpt.testing import tiny_clip_cfg
from fvgpt.testing.fvgpt_helpers import make_batch

CLASSES = ['red circle', 'green square', 'blue star']


def cocoop_fvgpt(init_scale=1e-3):
    torch.manual_seed(0)
    backbone = dict(type='CoCoOp', clip=tiny_clip_cfg())
    model = FVGPT(
        backbone=backbone,
        base_head=dict(
            type='FDCHead',
            logit_scale=None,  # s_fdc = the backbone's s
            adapter=dict(type='FDCAdapter', init_scale=init_scale)))
    with torch.no_grad():  # prompts away from their init: per-image shifts that matter
        learner = model.backbone.prompt_learner
        learner.ctx.add_(0.3 * torch.randn_like(learner.ctx))
        for p in learner.meta_net.parameters():
            p.mul_(8.0)
    model.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    return model


def test_foreground_view_conditions_its_own_prompts_and_z_fdc_starts_at_z_full(monkeypatch):
    model = cocoop_fvgpt()
    data = model.data_preprocessor(make_batch(num=3, size=32), True)
    seen = {}
    original = model.base_head.loss

    def spy(v, text, z_full, z_fg, *args):
        seen.update(v=v, text=text, z_full=z_full, z_fg=z_fg)
        return original(v, text, z_full, z_fg, *args)

    monkeypatch.setattr(model.base_head, 'loss', spy)
    model.train()
    losses = model(**data, mode='loss')
    assert all(torch.isfinite(v) for k, v in losses.items() if 'loss' in k)
    backbone = model.backbone
    with torch.no_grad():
        own_full = backbone.logits(data['inputs'])  # x scored with prompts made from x
        own_fg = backbone.logits(data['fg_inputs'])  # x_fg scored with prompts made from x_fg
        v_fg = backbone.image_feats(data['fg_inputs'])
        w_x = backbone.text_feats(image_feats=backbone.image_feats(data['inputs']))
        fg_with_x_prompts = backbone.logits_from_feats(v_fg, w_x)
    torch.testing.assert_close(seen['z_full'], own_full, atol=1e-4, rtol=0)
    torch.testing.assert_close(seen['z_fg'], own_fg, atol=1e-4, rtol=0)
    assert (own_fg - fg_with_x_prompts).abs().max() > 1e-3  # the test can tell them apart
    assert seen['text'].shape == (3, len(CLASSES), backbone.clip.embed_dim)
    # FDC starts near the backbone: adapters within 1e-3 of the identity
    with torch.no_grad():
        z_fdc = model.base_head.logits(seen['v'], seen['text'], model._fdc_rule())
    scale = float(backbone.logit_scale)
    assert (z_fdc - seen['z_full']).abs().max() < scale * 1e-2
    # per-image text is never cached; only the hand-template features are
    assert all(key[0] == 'hand' for key in model._text_cache)


def test_identity_adapters_give_exactly_the_backbone_logits_on_both_branches():
    model = cocoop_fvgpt(init_scale=0.0)
    model.eval()
    data = model.data_preprocessor(make_batch(num=2, size=32, with_fg=False), False)
    with torch.no_grad():
        base = model.branch_outputs(data['inputs'], 'base')
        model.set_class_list(CLASSES, ['a photo of a {}.'], 'new')
        new = model.branch_outputs(data['inputs'])
        own = model.backbone.logits(data['inputs'])
    torch.testing.assert_close(base['logits_fdc'], own, atol=1e-4, rtol=0)
    torch.testing.assert_close(new['logits_full'], own, atol=1e-4, rtol=0)
    clip = model.backbone.clip
    v0 = F.normalize(clip.model.encode_image(data['inputs']), dim=-1)
    u = clip.zeroshot_weights(CLASSES, ['a photo of a {}.'])
    torch.testing.assert_close(new['logits_clip'], clip.logit_scale * v0 @ u.t(), atol=1e-5, rtol=0)


def test_stage2_trains_the_heads_only():
    model = cocoop_fvgpt()
    frozen = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    for seed in range(2):
        log = model.train_step(make_batch(num=2, size=32, seed=seed), wrapper)
        assert torch.isfinite(log['loss'])
    for name, value in model.backbone.state_dict().items():
        assert torch.equal(value, frozen[name]), name
    assert {n.split('.')[0] for n, p in model.named_parameters() if p.requires_grad} == \
        {'base_head', 'new_head'}
