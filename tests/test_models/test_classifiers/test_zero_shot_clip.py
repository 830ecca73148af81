import torch
import torch.nn.functional as F

from fvgpt.registry import MODELS
from fvgpt.testing import tiny_clip_cfg


def test_predictions_equal_hand_computation():
    torch.manual_seed(0)
    model = MODELS.build(dict(type='ZeroShotCLIP', clip=tiny_clip_cfg()))
    classes = ['red', 'green', 'blue']
    model.set_class_list(classes, ['a photo of a {}.'])
    images = torch.randint(0, 256, (4, 3, 32, 32), dtype=torch.uint8)
    data = model.data_preprocessor(dict(inputs=list(images)), training=False)
    samples = model(data['inputs'], mode='predict')

    # by hand: CLIP normalization (BGR -> RGB), features, scaled cosine, softmax
    mean = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1) * 255
    std = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1) * 255
    x = (images.flip(1).float() - mean) / std
    img = F.normalize(model.clip.model.encode_image(x), dim=-1)
    txt = F.normalize(
        model.clip.model.encode_text(model.clip.tokenize([f'a photo of a {c}.' for c in classes])),
        dim=-1)
    logits = model.clip.model.logit_scale.exp() * img @ txt.t()
    expected = logits.softmax(dim=1)
    got = torch.stack([s.pred_score for s in samples])
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-5)
    assert [int(s.pred_label) for s in samples] == expected.argmax(1).tolist()


def test_fixed_templates_override_dataset_templates():
    model = MODELS.build(
        dict(
            type='ZeroShotCLIP',
            clip=tiny_clip_cfg(),
            templates=['itap of a {}.', 'art of the {}.']))
    model.set_class_list(['dog'], ['a photo of a {}.'])
    torch.testing.assert_close(
        model.text_feats(), model.clip.zeroshot_weights(['dog'],
                                                        ['itap of a {}.', 'art of the {}.']))
