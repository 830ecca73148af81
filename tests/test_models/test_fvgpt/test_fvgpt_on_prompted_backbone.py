"""FVG-PT on a backbone whose image tower carries prompts (IVLP): the foundation CLIP's
features come from a separate prompt-free pass, the backbone's from one pass over x and x_fg."""
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper

from fvgpt.models.fvgpt import FVGPT
from fvgpt.testing.fvgpt_helpers import make_batch
from fvgpt.toyworld import TOYCLIP_MODEL

CLASSES = ['red circle', 'green square', 'blue star']


def ivlp_fvgpt():
    torch.manual_seed(0)
    backbone = dict(
        type='IVLP',
        clip=dict(type='OpenCLIP', model_name=TOYCLIP_MODEL),
        prompt_learner=dict(
            type='IVLPPromptLearner', n_ctx_text=2, n_ctx_vision=2, depth_text=2, depth_vision=3))
    model = FVGPT(backbone=backbone)
    model.set_class_list(CLASSES, ['a photo of a {}.'], 'base')
    return model


def test_one_prompted_pass_over_x_and_x_fg_and_one_prompt_free_pass(monkeypatch):
    model = ivlp_fvgpt()
    clip = model.backbone.clip
    calls = []
    original = clip.encode_image

    def counting(images, normalize=True, prompts=None, **kwargs):
        calls.append((images.shape[0], prompts is not None))
        return original(images, normalize, prompts=prompts, **kwargs)

    monkeypatch.setattr(clip, 'encode_image', counting)
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    log = model.train_step(make_batch(num=4, size=64), wrapper)
    assert torch.isfinite(log['loss'])
    assert calls == [(8, True), (4, False)]


def test_new_branch_z_clip_is_plain_clip():
    model = ivlp_fvgpt()
    model.eval()
    model.set_class_list(CLASSES, ['a photo of a {}.'], 'new')
    data = model.data_preprocessor(make_batch(num=2, size=64, with_fg=False), False)
    out = model.branch_outputs(data['inputs'])
    clip = model.backbone.clip
    v0 = F.normalize(clip.model.encode_image(data['inputs']), dim=-1)
    u = clip.zeroshot_weights(CLASSES, ['a photo of a {}.'])
    torch.testing.assert_close(out['logits_clip'], clip.logit_scale * v0 @ u.t())
    v = model.backbone.image_feats(data['inputs'])[:, 0]
    w = model.backbone.text_feats()
    torch.testing.assert_close(out['logits_full'], clip.logit_scale * v @ w.t())
    assert not torch.allclose(out['logits_full'], out['logits_clip'], atol=1e-2)
