"""OpenCLIP.plain_pass_alongside and BasePromptClassifier.image_and_foundation_feats: the
prompt-free pass shares the frozen CLIP's blocks before the first prompted block (MMRL) and
gives what a separate prompt-free pass gives."""
import pytest
import torch

from fvgpt.models.clip import OpenCLIP
from fvgpt.models.clip.prompted_transformer import DeepPrompts
from fvgpt.registry import MODELS
from fvgpt.toyworld import TOYCLIP_MODEL

CLASSES = ['red circle', 'green_square', 'blue star']


class VisionBlockCalls:

    def __init__(self, clip: OpenCLIP):
        self.count = 0
        self.handles = [
            b.register_forward_pre_hook(self.hook) for b in clip.model.visual.transformer.resblocks
        ]

    def hook(self, *args):
        self.count += 1

    def remove(self):
        for handle in self.handles:
            handle.remove()


def clip_and_images():
    torch.manual_seed(0)
    clip = OpenCLIP(TOYCLIP_MODEL)
    size, width = clip.image_size, clip.model.visual.transformer.width
    return clip, torch.randn(4, 3, size, size), width


def test_plain_features_share_the_blocks_before_the_first_prompted_block():
    clip, images, width = clip_and_images()
    depth = len(clip.model.visual.transformer.resblocks)
    prompts = DeepPrompts({2: torch.randn(3, width), 3: torch.randn(3, width)}, position=1)
    prompted = clip.encode_image(images, prompts=prompts)
    plain = clip.encode_image(images[:2])
    calls = VisionBlockCalls(clip)
    with clip.plain_pass_alongside(2) as request:
        shared = clip.encode_image(images, prompts=prompts)
    # blocks 0-1 once for both passes, blocks 2.. once per pass
    assert calls.count == depth + (depth - 2)
    torch.testing.assert_close(shared, prompted, rtol=0, atol=0)  # the prompted pass is unchanged
    torch.testing.assert_close(request['feats'], plain, rtol=0, atol=1e-6)
    assert not request['feats'].requires_grad
    # the request served one call; later calls are plain prompted passes
    assert clip._plain_request is None
    calls.remove()


def test_prompts_from_block_zero_share_nothing():
    clip, images, width = clip_and_images()
    prompts = DeepPrompts({0: torch.randn(2, width), 1: torch.randn(2, width)}, position='end')
    with clip.plain_pass_alongside(4) as request:
        clip.encode_image(images, prompts=prompts)
    assert request['feats'] is None


def test_request_for_more_images_than_the_pass_has():
    clip, images, width = clip_and_images()
    prompts = DeepPrompts({2: torch.randn(3, width)}, position=1)
    with pytest.raises(ValueError, match='plain_pass_alongside'):
        with clip.plain_pass_alongside(5):
            clip.encode_image(images, prompts=prompts)


@pytest.mark.parametrize('backbone', ['MMRL', 'IVLP'])
def test_image_and_foundation_feats_equal_the_separate_passes(backbone):
    torch.manual_seed(0)
    learner = (
        dict(
            representation_learner=dict(
                type='MMRLRepresentationLearner', n_tokens=3, rep_dim=16, rep_layers=[2, 3]))
        if backbone == 'MMRL' else dict(
            prompt_learner=dict(
                type='IVLPPromptLearner',
                n_ctx_text=2,
                n_ctx_vision=2,
                depth_text=2,
                depth_vision=2)))
    model = MODELS.build(
        dict(type=backbone, clip=dict(type='OpenCLIP', model_name=TOYCLIP_MODEL), **learner))
    model.set_class_list(CLASSES)
    images = torch.randn(4, 3, model.clip.image_size, model.clip.image_size)
    with torch.no_grad():
        feats, foundation = model.image_and_foundation_feats(images, 3)
        torch.testing.assert_close(feats, model.image_feats(images), rtol=0, atol=0)
        # prompt-free: plain CLIP of the first 3 images
        torch.testing.assert_close(
            foundation, model.clip.encode_image(images[:3]), rtol=0, atol=1e-6)
        assert foundation.shape == (3, model.clip.embed_dim)
