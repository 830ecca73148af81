"""FVG-PT (METHOD.md, stage 2): gates, FDC adapters, prior calibration, losses, the classifier."""
from .backbone_reliability_gate import BackboneReliabilityGate
from .fdc_adapter import FDCAdapter
from .fdc_head import FDCHead
from .foreground_distillation_loss import ForegroundDistillationLoss
from .foreground_reliability_gate import ForegroundReliabilityGate, FRGOutput
from .fvgpt import FVGPT
from .gate_mlp import GateMLP
from .gate_supervision_loss import GateSupervisionLoss
from .prior_calibration_head import PriorCalibrationHead
from .prior_calibration_loss import PriorCalibrationLoss
from .stage1_checkpoint import Stage1CheckpointError, load_stage1_checkpoint

__all__ = [
    'FVGPT', 'FDCHead', 'PriorCalibrationHead', 'FDCAdapter', 'ForegroundReliabilityGate',
    'FRGOutput', 'BackboneReliabilityGate', 'GateMLP', 'ForegroundDistillationLoss',
    'GateSupervisionLoss', 'PriorCalibrationLoss', 'Stage1CheckpointError', 'load_stage1_checkpoint'
]
