from .warmup_cosine_lr import WarmupCosineAnnealingLR, WarmupCosineAnnealingParamScheduler

__all__ = ['WarmupCosineAnnealingLR', 'WarmupCosineAnnealingParamScheduler']
