"""The two reliability gates: their features and the unreliable-mask rule."""
import math

import pytest
import torch

from fvgpt.models.fvgpt import BackboneReliabilityGate, ForegroundReliabilityGate, GateMLP

LN3 = math.log(3.0)
H_Q = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))  # entropy of [1/4, 3/4]
COS_QU = 1.0 / (math.sqrt(0.625) * math.sqrt(2.0))  # cosine of [1/4, 3/4] and [1/2, 1/2]


def test_gate_mlp_shape():
    mlp = GateMLP(3, 32)
    assert [tuple(p.shape) for p in mlp.parameters()] == [(32, 3), (32, ), (1, 32), (1, )]
    assert mlp(torch.zeros(5, 3)).shape == (5, )


def test_frg_features():
    gate = ForegroundReliabilityGate(tau=2.0)
    z_full = torch.tensor([[0.0, 0.0]])
    z_fg = torch.tensor([[0.0, 2 * LN3]])
    phi = gate.features(z_full, z_fg, torch.tensor([0.3]))
    assert torch.allclose(phi, torch.tensor([[math.log(2) - H_Q, COS_QU, 0.3]]), atol=1e-6)


def test_frg_unreliable_masks_give_zero():
    torch.manual_seed(0)
    gate = ForegroundReliabilityGate()
    z = torch.randn(6, 5)
    area = torch.tensor([0.01, 0.02, 0.5, 0.98, 0.99, 0.5])
    valid = torch.tensor([True, True, True, True, True, False])
    out = gate(z, z + torch.randn(6, 5), area, valid)
    assert out.reliable.tolist() == [False, True, True, True, False, False]
    assert (out.r[~out.reliable] == 0).all()
    assert torch.allclose(out.r[out.reliable], torch.sigmoid(out.logit[out.reliable]))


def test_frg_rejects_bad_range():
    with pytest.raises(ValueError, match='area_min'):
        ForegroundReliabilityGate(area_min=0.5, area_max=0.1)


def test_brg_features_and_gate():
    gate = BackboneReliabilityGate(tau=2.0)
    z_full = torch.tensor([[0.0, 2 * LN3]])
    z_clip = torch.tensor([[0.0, 0.0]])
    phi = gate.features(z_full, z_clip)
    assert torch.allclose(phi, torch.tensor([[H_Q, math.log(2), COS_QU]]), atol=1e-6)
    b, logit = gate(z_full, z_clip)
    assert torch.allclose(b, torch.sigmoid(logit)) and b.shape == (1, )
