import os.path as osp

import open_clip
import pytest
import torch

from fvgpt.models.clip import OpenCLIP
from fvgpt.testing import TINY_CLIP_NAME


def full_length_text_feats(clip: OpenCLIP, tokens: torch.Tensor) -> torch.Tensor:
    """open_clip's own 77-position text path, as the reference."""
    return clip.model.encode_text(tokens, normalize=True)


def test_truncated_text_path_equals_full_path(tiny_clip):
    texts = [
        'a', 'a photo of a dog.', 'a photo of a very large and very fluffy grey cat '
        'sitting on a red sofa in a sunny living room.', 'itap of a cat.'
    ]
    tokens = tiny_clip.tokenize(texts)
    eot = tiny_clip.eot_indices(tokens)
    assert eot.tolist() == [int(t.argmax()) for t in tokens]
    assert int(eot.max()) < 40  # the path really is shorter than 77
    ours = tiny_clip.encode_text(tokens)
    ref = full_length_text_feats(tiny_clip, tokens)
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)
    # one prompt alone (shorter cut) gives the same feature as within the batch
    torch.testing.assert_close(tiny_clip.encode_text(tokens[1:2]), ref[1:2], rtol=1e-5, atol=1e-5)


def test_embedding_path_equals_token_path(tiny_clip):
    tokens = tiny_clip.tokenize(['a photo of a dog.', 'a cat.'])
    feats = tiny_clip.encode_text_embeddings(
        tiny_clip.token_embedding(tokens), tiny_clip.eot_indices(tokens))
    torch.testing.assert_close(feats, full_length_text_feats(tiny_clip, tokens))


def test_zeroshot_weights_mean_of_templates_and_cached(tiny_clip, monkeypatch):
    classes, templates = ['dog', 'sea_lion'], ['a photo of a {}.', 'art of the {}.']
    weights = tiny_clip.zeroshot_weights(classes, templates)
    per_template = torch.stack([
        tiny_clip.encode_text(
            tiny_clip.tokenize([t.format(c.replace('_', ' ')) for t in templates])).mean(0)
        for c in classes
    ])
    torch.testing.assert_close(weights, torch.nn.functional.normalize(per_template, dim=-1))
    calls = []
    monkeypatch.setattr(tiny_clip, 'encode_text', lambda *a, **k: calls.append(1))
    again = tiny_clip.zeroshot_weights(classes, templates)
    assert calls == [] and again is weights


def test_frozen_clip_stays_frozen_and_out_of_state_dict(tiny_clip):
    assert not any(p.requires_grad for p in tiny_clip.parameters())
    tiny_clip.train()
    assert not tiny_clip.model.training
    assert tiny_clip.state_dict() == {}
    before = {k: v.clone() for k, v in tiny_clip.model.state_dict().items()}
    result = tiny_clip.load_state_dict({}, strict=True)  # nothing missing, nothing changes
    assert not result.missing_keys
    for k, v in tiny_clip.model.state_dict().items():
        assert torch.equal(v, before[k])


def test_unfrozen_clip_is_trainable_and_saved():
    clip = OpenCLIP(model_name=TINY_CLIP_NAME, frozen=False)
    assert all(p.requires_grad for p in clip.parameters())
    assert any(k.startswith('model.visual') for k in clip.state_dict())


@pytest.mark.parametrize('kind', ['state_dict', 'checkpoint', 'jit'])
def test_local_weight_files_load(tmp_path, kind):
    torch.manual_seed(1)
    src = open_clip.create_model(TINY_CLIP_NAME)
    path = str(tmp_path / f'{kind}.pt')
    if kind == 'state_dict':
        torch.save(src.state_dict(), path)
    elif kind == 'checkpoint':
        torch.save(
            {
                'state_dict': {
                    'module.' + k: v
                    for k, v in src.state_dict().items()
                },
                'epoch': 3
            }, path)
    else:
        src.eval()
        img, txt = torch.zeros(1, 3, 32, 32), open_clip.tokenize(['a dog'])
        traced = torch.jit.trace(src, (img, txt), check_trace=False, strict=False)
        traced.save(path)
    clip = OpenCLIP(model_name=TINY_CLIP_NAME, pretrained=path)
    for k, v in src.state_dict().items():
        assert torch.equal(clip.model.state_dict()[k], v), k
    if kind == 'jit':  # OpenAI's archives were trained with QuickGELU
        assert clip.model.visual.transformer.resblocks[0].mlp.gelu.__class__.__name__ == \
            'QuickGELU'


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match='Unknown open_clip model "ViT-X-99".*ViT-B-16'):
        OpenCLIP(model_name='ViT-X-99')
    with pytest.raises(FileNotFoundError, match='missing.pt'):
        OpenCLIP(model_name=TINY_CLIP_NAME, pretrained=str(tmp_path / 'missing.pt'))
    with pytest.raises(ValueError, match='neither a file nor a pretrained tag.*openai'):
        OpenCLIP(model_name='ViT-B-16', pretrained='opneai')
    torch.save({'visual.nope': torch.zeros(1)}, tmp_path / 'bad.pt')
    with pytest.raises(RuntimeError, match='bad.pt.*do not fit'):
        OpenCLIP(model_name=TINY_CLIP_NAME, pretrained=str(tmp_path / 'bad.pt'))


def test_image_features_normalized(tiny_clip):
    feats = tiny_clip.encode_image(torch.randn(3, 3, 32, 32))
    assert feats.shape == (3, tiny_clip.embed_dim)
    torch.testing.assert_close(feats.norm(dim=-1), torch.ones(3))
    assert osp.basename(TINY_CLIP_NAME) in open_clip.list_models()
