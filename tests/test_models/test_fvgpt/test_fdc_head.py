"""FDC adapters start at the identity; the base-branch head's losses and statistics."""
import torch
import torch.nn.functional as F

from fvgpt.models.fvgpt import FDCAdapter, FDCHead


def feats(num, dim=16, seed=0):
    return F.normalize(torch.randn(num, dim, generator=torch.Generator().manual_seed(seed)), dim=-1)


def test_adapter_shape_and_init():
    torch.manual_seed(0)
    adapter = FDCAdapter(16, bottleneck=64, init_scale=1e-3)
    assert adapter.down.weight.shape == (64, 16) and adapter.up.weight.shape == (16, 64)
    assert adapter.up.bias.abs().max() == 0
    assert 0.5e-3 < adapter.up.weight.std().item() < 1.5e-3
    e = feats(4)
    assert (adapter(e) - e).abs().max() < 1e-2


def test_z_fdc_starts_at_z_full():
    torch.manual_seed(0)
    v, w = feats(5, seed=1), feats(3, seed=2)
    z_full = 100.0 * v @ w.t()
    head = FDCHead(16, logit_scale=100.0)
    scale = head.image_adapter.init_scale
    assert (head.logits(v, w) - z_full).abs().max() < 100.0 * 10 * scale
    exact = FDCHead(16, adapter=dict(type='FDCAdapter', init_scale=0.0))
    assert torch.allclose(exact.logits(v, w), z_full, atol=1e-4)


def test_head_loss_keys_and_gradients():
    torch.manual_seed(0)
    head = FDCHead(16)
    v, w = feats(4, seed=1), feats(3, seed=2)
    z_full, z_fg = 100 * v @ w.t(), 100 * feats(4, seed=3) @ w.t()
    area = torch.tensor([0.5, 0.3, 0.001, 0.6])
    losses, stats = head.loss(v, w, z_full, z_fg, area, None, torch.tensor([0, 1, 2, 0]))
    assert set(losses) == {'loss_ce', 'loss_dist', 'loss_gate'}
    assert set(stats) == {'gate_r', 'gate_r_target', 'fg_reliable'}
    assert stats['fg_reliable'].item() == 0.75
    sum(losses.values()).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None, name
