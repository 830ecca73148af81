import pytest
import torch
from fvgpt_test_helpers import FakeBackbone


@pytest.fixture
def fake_backbone():
    torch.manual_seed(0)
    return FakeBackbone()
