"""The distribution statistics of FVG-PT against hand computations."""
import math

import torch

from fvgpt.models.fvgpt.functional import (entropy, foreground_area, gate_target, kl_div_t,
                                           prob_cosine, reliable_masks)

LN3 = math.log(3.0)
# softmax([0, 2 ln 3] / 2) = [1/4, 3/4]; softmax([0, 0]) = [1/2, 1/2]
Z_Q = torch.tensor([[0.0, 2 * LN3]])
Z_U = torch.tensor([[0.0, 0.0]])


def test_entropy_with_temperature():
    expected = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    assert math.isclose(entropy(Z_Q, tau=2.0).item(), expected, rel_tol=1e-6)
    assert math.isclose(entropy(Z_U).item(), math.log(2), rel_tol=1e-6)
    # tau = 1: softmax([0, 2 ln 3]) = [1/10, 9/10]
    assert math.isclose(
        entropy(Z_Q).item(), -(0.1 * math.log(0.1) + 0.9 * math.log(0.9)), rel_tol=1e-6)


def test_cosine_of_distributions():
    expected = (0.25 * 0.5 + 0.75 * 0.5) / (math.sqrt(0.25**2 + 0.75**2) * math.sqrt(0.5))
    assert math.isclose(prob_cosine(Z_Q, Z_U, tau=2.0).item(), expected, rel_tol=1e-6)
    assert math.isclose(prob_cosine(Z_Q, Z_Q + 7, tau=2.0).item(), 1.0, rel_tol=1e-6)


def test_kl_with_temperature():
    expected = 0.25 * math.log(0.25 / 0.5) + 0.75 * math.log(0.75 / 0.5)
    assert math.isclose(kl_div_t(Z_Q, Z_U, tau=2.0).item(), expected, rel_tol=1e-5)
    assert kl_div_t(Z_U, Z_U).item() == 0.0


def test_area_fraction_and_unreliable_rule():
    masks = torch.zeros(3, 4, 5)
    masks[1, :2] = 1  # 10 of 20 pixels
    masks[2] = 1
    assert foreground_area(masks).tolist() == [0.0, 0.5, 1.0]
    area = torch.tensor([0.01, 0.02, 0.5, 0.98, 0.99, 0.5])
    valid = torch.tensor([True, True, True, True, True, False])
    assert reliable_masks(area, valid).tolist() == [False, True, True, True, False, False]
    assert reliable_masks(area, None, 0.0, 1.0).all()


def test_gate_target():
    # label 1: CE(z_fg) = -ln 0.9 = 0.105 < CE(z_full) = ln 2 = 0.693
    z_fg, z_full, labels = Z_Q.repeat(2, 1), Z_U.repeat(2, 1), torch.tensor([1, 0])
    assert gate_target(z_full, z_fg, labels).tolist() == [1.0, 0.0]
    # a margin delta = 1 > 0.693 - 0.105 makes the foreground view not worth trusting
    assert gate_target(z_full, z_fg, labels, delta=1.0).tolist() == [0.0, 0.0]
