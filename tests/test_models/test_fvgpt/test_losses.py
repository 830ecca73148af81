"""FVG-PT's losses against hand computations."""
import math

import pytest
import torch
import torch.nn as nn

from fvgpt.models.fvgpt import (ForegroundDistillationLoss, GateSupervisionLoss,
                                PriorCalibrationHead, PriorCalibrationLoss)

LN3 = math.log(3.0)


def kl(p, q):
    return sum(a * math.log(a / b) for a, b in zip(p, q))


# At tau = 2: softmax(Z_FG / 2) = [1/4, 3/4], softmax(Z_FULL / 2) = softmax(Z_FDC / 2) = [1/2, 1/2]
Z_FG = torch.tensor([[0.0, 2 * LN3]] * 2)
Z_FULL = torch.zeros(2, 2)
Z_FDC = torch.zeros(2, 2)


def test_distillation_dual_teacher():
    loss = ForegroundDistillationLoss(tau=2.0, dist_mode='dual_teacher', loss_weight=10.0)
    r = torch.tensor([1.0, 0.5])
    k = kl([0.25, 0.75], [0.5, 0.5])
    expected = 10.0 * 4.0 * ((1.0 * k + 0.0) + (0.5 * k + 0.5 * 0.0)) / 2
    assert math.isclose(loss(Z_FDC, Z_FULL, Z_FG, r).item(), expected, rel_tol=1e-5)


def test_distillation_mixed_teacher():
    loss = ForegroundDistillationLoss(tau=2.0, dist_mode='mixed_teacher', loss_weight=1.0)
    r = torch.tensor([1.0, 0.5])
    # teacher of sample 2: 0.5 [0, 2 ln 3] + 0.5 [0, 0] = [0, ln 3]; /2 -> [1, sqrt 3] / (1 + sqrt
    # 3)
    s3 = math.sqrt(3.0)
    k1 = kl([0.25, 0.75], [0.5, 0.5])
    k2 = kl([1 / (1 + s3), s3 / (1 + s3)], [0.5, 0.5])
    expected = 4.0 * (k1 + k2) / 2
    assert math.isclose(loss(Z_FDC, Z_FULL, Z_FG, r).item(), expected, rel_tol=1e-5)


@pytest.mark.parametrize('mode', ['dual_teacher', 'mixed_teacher'])
def test_distillation_detaches_gate(mode):
    r = torch.tensor([0.3, 0.6], requires_grad=True)
    z_fdc = torch.randn(2, 2, requires_grad=True)
    ForegroundDistillationLoss(dist_mode=mode)(z_fdc, Z_FULL, Z_FG, r).backward()
    assert r.grad is None and z_fdc.grad is not None
    r2 = torch.tensor([0.3, 0.6], requires_grad=True)
    ForegroundDistillationLoss(
        dist_mode=mode, detach_gate=False)(z_fdc, Z_FULL, Z_FG, r2).backward()
    assert r2.grad is not None and r2.grad.abs().sum() > 0


def test_distillation_rejects_unknown_mode():
    with pytest.raises(ValueError, match='dist_mode'):
        ForegroundDistillationLoss(dist_mode='average')


def test_gate_supervision():
    loss = GateSupervisionLoss(delta=0.0, loss_weight=2.0)
    labels = torch.tensor([1, 1, 0])
    z_fg = torch.tensor([[0.0, 2 * LN3]] * 3)
    z_full = torch.zeros(3, 2)
    logits = torch.tensor([2.0, -1.0, 5.0])
    reliable = torch.tensor([True, True, False])
    value, target = loss(logits, z_full, z_fg, labels, reliable)
    # targets: CE(z_fg) < CE(z_full) for label 1 only; sample 3 is left out (unreliable)
    assert target.tolist() == [1.0, 1.0, 0.0]
    expected = 2.0 * (math.log(1 + math.exp(-2.0)) + math.log(1 + math.exp(1.0))) / 2
    assert math.isclose(value.item(), expected, rel_tol=1e-6)
    none, _ = loss(logits, z_full, z_fg, labels, torch.zeros(3, dtype=torch.bool))
    assert none.item() == 0.0


def test_prior_calibration_mix_and_loss():
    head = PriorCalibrationHead(
        loss=dict(
            type='PriorCalibrationLoss', tau_pc=2.0, tau_kl=2.0, use_kl=True, loss_weight=1.0))
    # make b = sigmoid(0) = 1/2 whatever the features
    nn.init.zeros_(head.gate.mlp.fc2.weight)
    nn.init.zeros_(head.gate.mlp.fc2.bias)
    z_full = torch.zeros(1, 2)
    z_clip = torch.tensor([[0.0, 2 * LN3]])
    z_pc, b = head.logits(z_full, z_clip)
    assert b.tolist() == [0.5]
    assert torch.allclose(z_pc, torch.tensor([[0.0, LN3]]))
    losses, stats = head.loss(z_full, z_clip, torch.tensor([1]))
    s3 = math.sqrt(3.0)
    p_pc = [1 / (1 + s3), s3 / (1 + s3)]  # softmax([0, ln 3] / 2)
    ce = -math.log(p_pc[1])
    expected = ce + 4.0 * kl([0.25, 0.75], p_pc)
    assert math.isclose(losses['loss_new'].item(), expected, rel_tol=1e-5)
    assert stats['gate_b'].item() == 0.5
    no_kl = PriorCalibrationLoss(use_kl=False, loss_weight=3.0)
    assert math.isclose(no_kl(z_pc, z_clip, torch.tensor([1])).item(), 3 * ce, rel_tol=1e-5)
