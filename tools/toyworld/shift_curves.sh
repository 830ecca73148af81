#!/usr/bin/env bash
# The paper's Fig. 5 on the toy world: foreground shift index and base accuracy of CoOp and
# FVG-PT (on that CoOp) after each of their 10 epochs, zero-shot ToyCLIP as the line. Needs the
# world and its segmenter masks (bash tools/demo.sh makes them). Every epoch's checkpoint is kept.
# Results: work_dirs/toyworld_shift_curves/analysis/; the picture: docs/toyworld_foreground_shift.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/install.sh
export HF_HUB_OFFLINE=1
PY=${PYTHON:-.venv/bin/python}
WORK=${WORK:-work_dirs/toyworld_shift_curves}
KEEP="default_hooks.checkpoint.max_keep_ckpts=-1"
"$PY" tools/train.py configs/coop/coop_b2n_toyworld.py --work-dir "$WORK/coop" --cfg-options "$KEEP"
"$PY" tools/train.py configs/fvgpt/coop_b2n_toyworld.py --work-dir "$WORK/fvgpt" --cfg-options "$KEEP" \
    model.backbone_ckpt="$WORK/coop" train_dataloader.dataset.mask_root=toyworld/mask_seg
# the configs mmengine saved in the run dirs (FVG-PT's names its stage-1 checkpoint)
"$PY" tools/analysis/foreground_shift.py "$WORK/coop/coop_b2n_toyworld.py" --checkpoints "$WORK/coop" \
    --compare "$WORK/fvgpt/coop_b2n_toyworld.py" "$WORK/fvgpt" --labels CoOp FVG-PT \
    --mask-root toyworld/mask_seg --work-dir "$WORK/analysis"
"$PY" -c "import sys; from fvgpt.analysis.figure_utils import compact_copy; print('Saved to', compact_copy(*sys.argv[1:]))" \
    "$WORK/analysis/foreground_shift.png" docs/toyworld_foreground_shift.png
