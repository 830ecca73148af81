#!/usr/bin/env bash
# The README's toy-world findings: zero-shot ToyCLIP, CoOp and FVG-PT on the default world over
# seeds 1-3, the five conditions measured, and the README's findings table rewritten from them.
# Results: work_dirs/toyworld_findings/ (demo.log, b2n_results.*, conditions.json, figures).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/install.sh
export HF_HUB_OFFLINE=1
.venv/bin/python tools/toyworld/demo.py --seeds 1 2 3 --work-dir work_dirs/toyworld_findings "$@"
.venv/bin/python tools/toyworld/findings.py work_dirs/toyworld_findings --readme README.md
