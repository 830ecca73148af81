#!/usr/bin/env bash
# Creates ./.venv with the pinned stack and fvgpt installed editable; reuses it when the
# requirement files have not changed since the last successful install.
#
#   bash tools/install.sh            # install or reuse
#   FVGPT_VENV=/path bash tools/install.sh
#
# Order matters: torch first, then mmcv built from source against that torch (no wheel exists
# for current torch; pip must not build it in isolation), then the rest, then fvgpt itself.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${FVGPT_VENV:-.venv}
PY=${PYTHON:-python3}
STAMP="$VENV/.fvgpt-install-stamp"
want=$(cat requirements/*.txt setup.py tools/install.sh | sha256sum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/python" ]; then
    exit 0
fi

echo "[install] installing into $VENV (the first time: torch, and mmcv built from source, ~13 min on 2 cores)" >&2
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
# --isolated: ignore machine-local pip configuration (a local CPU-only torch wheel there does not
# match PyPI's torchvision); the pins below fully determine what is installed.
PIP=("$VENV/bin/python" -m pip --isolated --disable-pip-version-check)
"${PIP[@]}" install -q -r requirements/torch.txt
"${PIP[@]}" install -q "setuptools<81" wheel ninja
if ! "$VENV/bin/python" -c "import mmcv.ops" 2>/dev/null; then
    # pkg_resources (setuptools < 81) is imported by mmcv's setup.py; with no GPU visible only the
    # CPU ops compile, on a CUDA machine the CUDA ops as well. pip caches the built wheel.
    MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-$(nproc)} \
        "${PIP[@]}" install --no-build-isolation "mmcv==2.1.0"
fi
"${PIP[@]}" install -q -r requirements/runtime.txt -r requirements/tests.txt
"${PIP[@]}" install -q --no-build-isolation --no-deps -e .
"$VENV/bin/python" -c "import torch, torchvision, mmcv.ops, mmseg.models, mmpretrain.models, open_clip, fvgpt; print('[install] ok: torch', torch.__version__, 'mmcv', mmcv.__version__)" >&2
echo "$want" > "$STAMP"
