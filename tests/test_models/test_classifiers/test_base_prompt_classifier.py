"""The backbone contract: declarations are checked at construction, the foundation features
are CLIP's own, the recipe travels in the state dict."""
from typing import Sequence

import pytest
import torch

from fvgpt.models.classifiers import BasePromptClassifier
from fvgpt.registry import MODELS
from fvgpt.testing import tiny_clip_cfg, tiny_coop_cfg


class Undeclared(BasePromptClassifier):
    """Forgets to say how its image features relate to CLIP's."""

    def encode_class_text(self, classnames: Sequence[str]) -> torch.Tensor:
        return self.foundation_text_feats(classnames)


class ClaimsClipButPrompts(Undeclared):
    image_encoder = 'clip'

    def image_feats(self, inputs):
        return super().image_feats(inputs) + 1


class UnknownTextConditioning(Undeclared):
    image_encoder = 'clip'
    text_conditioning = 'per_image'  # not one of the contract's


class OverridesFoundation(Undeclared):
    image_encoder = 'prompted'

    def foundation_image_feats(self, inputs, image_feats=None):
        return image_feats[:, 0]


def test_missing_or_contradicting_declarations_fail_at_construction():
    with pytest.raises(TypeError, match="Undeclared must declare .* image_encoder = 'clip'"):
        Undeclared(clip=tiny_clip_cfg())
    with pytest.raises(
            TypeError, match="declares image_encoder = 'clip' but overrides "
            'image_feats'):
        ClaimsClipButPrompts(clip=tiny_clip_cfg())
    with pytest.raises(TypeError, match=r"overrides \['foundation_image_feats'\]"):
        OverridesFoundation(clip=tiny_clip_cfg())
    with pytest.raises(TypeError, match="text_conditioning must be 'none' .* or 'image'"):
        UnknownTextConditioning(clip=tiny_clip_cfg())


def test_coop_contract_shapes_and_foundation_reuse():
    torch.manual_seed(0)
    model = MODELS.build(tiny_coop_cfg(n_ctx=4))
    model.set_class_list(['dog', 'cat', 'red car'], ['a photo of a {}.'], 'base')
    x = torch.randn(2, 3, 32, 32)
    v = model.image_feats(x)
    w = model.text_feats()
    assert v.shape == (2, 1, 64) and w.shape == (3, 64)
    torch.testing.assert_close(v.norm(dim=-1), torch.ones(2, 1))
    # CoOp's image tower is CLIP's: the foundation feature is the same tensor, no second pass
    assert model.foundation_image_feats(x, image_feats=v).data_ptr() == v[:, 0].data_ptr()
    torch.testing.assert_close(model.foundation_image_feats(x), v[:, 0])
    torch.testing.assert_close(model.logits(x), model.clip.logit_scale * v[:, 0] @ w.t())
    torch.testing.assert_close(
        model.logits_from_feats(v, w, logit_scale=3.0), 3.0 * v[:, 0] @ w.t())
    hand = model.foundation_text_feats()
    torch.testing.assert_close(
        hand, model.clip.zeroshot_weights(['dog', 'cat', 'red car'], ['a photo of a {}.']))


def test_recipe_names_class_clip_and_learner():
    model = MODELS.build(tiny_coop_cfg(n_ctx=4))
    recipe = model.recipe()
    assert recipe['backbone'] == 'CoOp'
    assert recipe['clip'] == {
        'model_name': 'fvgpt-tiny-vit',
        'weights_sha256': model.clip.weights_sha256
    }
    assert len(recipe['clip']['weights_sha256']) == 64
    assert recipe['prompt_learner']['n_ctx'] == 4


def test_prompts_tuned_on_other_clip_weights_do_not_load():
    torch.manual_seed(0)
    trained = MODELS.build(tiny_coop_cfg(n_ctx=4))
    torch.manual_seed(1)  # the same model name, other (random) weights
    other = MODELS.build(tiny_coop_cfg(n_ctx=4))
    with pytest.raises(ValueError, match='clip.weights_sha256.*other CLIP weights'):
        other.load_state_dict(trained.state_dict())
