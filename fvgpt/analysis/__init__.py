"""The paper's analyses (plain PyTorch, no Runner): attention maps of the image encoder
(Grad-CAM or CLS attention), the foreground shift index, and the figures of the tools under
``tools/analysis``."""
from .analysis_data import (build_mask_dataset, foreground_view_dataset_cfg, mask_dataset_cfg,
                            mask_folder_reader, mask_pipeline, shared_mask_root, split_batch)
from .attention_mapper import METHODS, AttentionMapper, AttentionMaps
from .b2n_bars import b2n_bar_values, plot_b2n
from .cls_attention import cls_attention
from .gate_report import format_gate_summary, gate_batch, gate_rows, iou_bucket, summarize_gate_rows
from .grad_cam import grad_cam, upsample_maps
from .gradcam_grid import plot_gradcam_grid
from .last_block_capture import BlockCall, LastBlockCapture
from .model_comparison import compare_models, select_images
from .model_loading import (checkpoint_epoch, load_analysis_model, resolve_checkpoint,
                            set_class_list_from, zero_shot_cfg)
from .scoring_logits import scoring_logits
from .shift_curves import plot_shift_curves
from .shift_index import (EXCLUSION_REASONS, ForegroundShiftMeter, foreground_shift_index,
                          outside_shares)
from .split_analysis import analyze_split
from .sweep_curves import plot_sweep

__all__ = [
    'AttentionMapper', 'AttentionMaps', 'METHODS', 'grad_cam', 'upsample_maps', 'cls_attention',
    'LastBlockCapture', 'BlockCall', 'scoring_logits', 'foreground_shift_index', 'outside_shares',
    'ForegroundShiftMeter', 'EXCLUSION_REASONS', 'analyze_split', 'build_mask_dataset',
    'mask_dataset_cfg', 'shared_mask_root', 'mask_pipeline', 'split_batch', 'load_analysis_model',
    'resolve_checkpoint', 'checkpoint_epoch', 'set_class_list_from', 'zero_shot_cfg',
    'plot_gradcam_grid', 'plot_shift_curves', 'plot_sweep', 'plot_b2n', 'b2n_bar_values',
    'compare_models', 'select_images', 'foreground_view_dataset_cfg', 'mask_folder_reader',
    'gate_batch', 'gate_rows', 'summarize_gate_rows', 'format_gate_summary', 'iou_bucket'
]
