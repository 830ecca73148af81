import pytest
import torch

from fvgpt.models.prompt_learners import CoOpPromptLearner


def sentence_feats(clip, sentences):
    return clip.encode_text(clip.tokenize(sentences))


def learner_feats(clip, learner, classnames):
    prompts, eot = learner(classnames, clip)
    return clip.encode_text_embeddings(prompts, eot)


CLASSES = ['golden_retriever', 'cat', 'sea lion']


@pytest.mark.parametrize('position, sentence', [
    ('end', 'a photo of a {}.'),
    ('front', '{} a photo of a.'),
    ('middle', 'a photo {} of a.'),
])
def test_context_from_phrase_equals_the_sentence(tiny_clip, position, sentence):
    learner = CoOpPromptLearner(
        tiny_clip, n_ctx=None, ctx_init='a photo of a', class_token_position=position)
    assert learner.n_ctx == 4
    ours = learner_feats(tiny_clip, learner, CLASSES)
    ref = sentence_feats(tiny_clip, [sentence.format(c.replace('_', ' ')) for c in CLASSES])
    torch.testing.assert_close(ours, ref, rtol=1e-5, atol=1e-5)


def test_random_context_shape_and_std(tiny_clip):
    torch.manual_seed(0)
    learner = CoOpPromptLearner(tiny_clip, n_ctx=16, init_std=0.02)
    assert learner.ctx.shape == (16, tiny_clip.text_width)
    assert abs(float(learner.ctx.std()) - 0.02) < 0.004
    prompts, eot = learner(CLASSES, tiny_clip)
    assert prompts.shape == (3, tiny_clip.context_length, tiny_clip.text_width)
    # SOT + 16 context tokens + name tokens + '.' -> EOT
    assert eot.tolist()[1] == 1 + 16 + 1 + 1


def test_class_specific_context(tiny_clip):
    learner = CoOpPromptLearner(tiny_clip, n_ctx=2, class_specific=True, num_classes=3)
    assert learner.ctx.shape == (3, 2, tiny_clip.text_width)
    prompts, _ = learner(CLASSES, tiny_clip)
    torch.testing.assert_close(prompts[1, 1:3], learner.ctx[1])
    with pytest.raises(ValueError, match='class-specific for 3 classes, but 2'):
        learner(CLASSES[:2], tiny_clip)
    with pytest.raises(ValueError, match='needs num_classes'):
        CoOpPromptLearner(tiny_clip, class_specific=True)


def test_bad_config_is_explained(tiny_clip):
    with pytest.raises(ValueError, match='n_ctx=16 but ctx_init "a photo of a" has 4 tokens'):
        CoOpPromptLearner(tiny_clip, n_ctx=16, ctx_init='a photo of a')
    with pytest.raises(ValueError, match='class_token_position'):
        CoOpPromptLearner(tiny_clip, class_token_position='left')


def test_gradient_reaches_context_only(tiny_clip):
    learner = CoOpPromptLearner(tiny_clip, n_ctx=4)
    learner_feats(tiny_clip, learner, CLASSES).sum().backward()
    assert learner.ctx.grad is not None and learner.ctx.grad.abs().sum() > 0
    assert all(p.grad is None for p in tiny_clip.parameters())
