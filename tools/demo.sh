#!/usr/bin/env bash
# The README's main job: installs the environment when needed (tools/install.sh), then runs the
# whole FVG-PT chain on the embedded toy world (tools/toyworld/demo.py; options pass through).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/python tools/toyworld/demo.py "$@"
