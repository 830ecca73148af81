import pytest
import torch

from fvgpt.testing.fvgpt_helpers import FakeBackbone


@pytest.fixture
def fake_backbone():
    torch.manual_seed(0)
    return FakeBackbone()
