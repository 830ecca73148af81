#!/usr/bin/env bash
# Regenerates the README's picture docs/fvgpt_coop_b2n_toyworld_train.png: what FVG-PT's training
# pipeline feeds the model in the default toy world (data/toyworld, generated when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/install.sh
export HF_HUB_OFFLINE=1
.venv/bin/python tools/toyworld/generate.py --data-root data
.venv/bin/python tools/visualization/browse_dataset.py configs/fvgpt/coop_b2n_toyworld.py \
    --phase train -n 12 --cols 4 --seed 1 --data-root data --output-dir docs
rm -f docs/fvgpt_coop_b2n_toyworld_train.json  # machine-specific paths; the PNG is the figure
