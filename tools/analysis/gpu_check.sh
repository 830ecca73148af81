#!/usr/bin/env bash
# The GPU planning figures in one JSON (tools/analysis/gpu_check.py: per-backbone training step at
# 500 classes, FVG-PT's step, test images/s, peak memory; random CLIP weights, under 8 minutes on
# one GPU). On a bare machine with the repo's install:
#   bash tools/analysis/gpu_check.sh [--out work_dirs/gpu_check.json] [--amp bf16|fp16]
#   bash tools/analysis/gpu_check.sh --smoke     # tiny, on the CPU: checks the script itself
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${PYTHON:-}" ]; then
    py="$PYTHON"
elif [ -x .venv/bin/python ]; then
    py=.venv/bin/python
else
    py=python
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
exec "$py" tools/analysis/gpu_check.py "$@"
