"""What identifies CLIP's weights (their source and a hash), and the one log line about them."""
import logging

import torch

from fvgpt.models.clip import OpenCLIP
from fvgpt.models.prompt_learners import CoOpPromptLearner


def test_hash_follows_the_weights_and_enters_the_recipe(tmp_path):
    torch.manual_seed(0)
    a = OpenCLIP('fvgpt-tiny-vit')
    path = str(tmp_path / 'tiny.pt')
    torch.save(a.model.state_dict(), path)
    same = OpenCLIP('fvgpt-tiny-vit', pretrained=path)
    torch.manual_seed(1)
    other = OpenCLIP('fvgpt-tiny-vit')
    assert a.weights_sha256 == same.weights_sha256 != other.weights_sha256
    assert same.weights_identity == dict(pretrained=path, sha256=a.weights_sha256)
    # one changed value changes the hash (computed once: a fresh wrapper sees it)
    state = a.model.state_dict()
    state['logit_scale'] = state['logit_scale'] + 1e-6
    torch.save(state, path)
    assert OpenCLIP('fvgpt-tiny-vit', pretrained=path).weights_sha256 != a.weights_sha256
    learner = CoOpPromptLearner(same, n_ctx=2)
    assert learner.recipe()['clip_weights_sha256'] == a.weights_sha256


def test_one_accurate_line_on_where_the_weights_came_from(tmp_path, caplog):
    torch.manual_seed(0)
    path = str(tmp_path / 'tiny.pt')
    torch.save(OpenCLIP('fvgpt-tiny-vit').model.state_dict(), path)
    with caplog.at_level(logging.INFO):
        clip = OpenCLIP('fvgpt-tiny-vit', pretrained=path)
    messages = [r.getMessage() for r in caplog.records]
    assert not any('No pretrained weights loaded' in m for m in messages)  # open_clip's
    assert 'weights loaded from the file' in clip.weights_source and path in clip.weights_source
    assert 'random initialization' in OpenCLIP('fvgpt-tiny-vit').weights_source
