"""freeze(): frozen sub-modules stay out of their owners' checkpoints, nested or not."""
import torch
import torch.nn as nn

from fvgpt.models.utils import freeze, is_frozen, keep_frozen_in_eval


class Inner(nn.Module):

    def __init__(self):
        super().__init__()
        self.frozen = freeze(nn.Linear(2, 2))
        self.tuned = nn.Linear(2, 2)


class Outer(nn.Module):

    def __init__(self):
        super().__init__()
        self.inner = Inner()
        self.head = nn.Linear(2, 1)


def test_frozen_entries_left_out_and_filled_back():
    model = Outer()
    assert set(model.state_dict()) == {
        'inner.tuned.weight', 'inner.tuned.bias', 'head.weight', 'head.bias'
    }
    # a frozen module asked directly still gives all its weights
    assert set(model.inner.frozen.state_dict()) == {'weight', 'bias'}
    frozen_before = model.inner.frozen.weight.clone()
    other = Outer()
    other.load_state_dict(model.state_dict(), strict=True)  # nothing missing
    assert torch.equal(other.inner.tuned.weight, model.inner.tuned.weight)
    assert not torch.equal(other.inner.frozen.weight, frozen_before)  # kept its own
    # a checkpoint that holds the frozen weights still overrides them
    full = dict(model.state_dict(), **{
        'inner.frozen.' + k: v
        for k, v in model.inner.frozen.state_dict().items()
    })
    other.load_state_dict(full, strict=True)
    assert torch.equal(other.inner.frozen.weight, frozen_before)


def test_nested_freeze_drops_the_whole_subtree():
    model = Outer()
    freeze(model.inner)
    assert set(model.state_dict()) == {'head.weight', 'head.bias'}
    assert set(model.inner.state_dict()) == {'tuned.weight', 'tuned.bias'}
    other = Outer()
    freeze(other.inner)
    other.load_state_dict(model.state_dict(), strict=True)  # both levels fill themselves
    assert is_frozen(model.inner) and not model.inner.tuned.weight.requires_grad
    model.train()
    keep_frozen_in_eval(model)
    assert model.training and not model.inner.training and not model.inner.frozen.training
