#!/usr/bin/env bash
# The lint gate (settings in setup.cfg): flake8, isort and yapf over the repo's Python files.
#
#   bash tools/lint.sh                 # check every Python file git knows (CI: .ci/run)
#   bash tools/lint.sh PATHS...        # check these files / folders only
#   bash tools/lint.sh --fix [PATHS]   # rewrite imports (isort) and layout (yapf) in place, then
#                                      # check: what remains (unused imports, long strings) is
#                                      # for a person to fix
#
# The tools come from the repo's venv (pinned in requirements/tests.txt, installed by
# tools/install.sh); LINT_BIN=/dir/with/flake8 chooses another folder.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LINT_BIN:-${FVGPT_VENV:-.venv}/bin}
for tool in flake8 isort yapf; do
    if [ ! -x "$BIN/$tool" ]; then
        echo "lint: $BIN/$tool not found; run 'bash tools/install.sh' (it installs the pins of" \
             "requirements/tests.txt) or set LINT_BIN to a folder holding flake8, isort and yapf" >&2
        exit 2
    fi
done

fix=0
if [ "${1:-}" = "--fix" ]; then
    fix=1
    shift
fi
# Tracked and new (not ignored) Python files under the given paths (default: the whole repo).
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- "${@:-.}" \
                     | grep '\.py$' | sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done)
if [ "${#files[@]}" -eq 0 ]; then
    echo "lint: no Python files under: ${*:-.}" >&2
    exit 2
fi

if [ "$fix" -eq 1 ]; then
    "$BIN/isort" -q "${files[@]}"
    "$BIN/yapf" -i -p "${files[@]}"
fi

status=0
"$BIN/flake8" "${files[@]}" || status=1
"$BIN/isort" --check-only "${files[@]}" || status=1
diff_file=$(mktemp)
if ! "$BIN/yapf" -d -p "${files[@]}" > "$diff_file"; then
    head -n 200 "$diff_file"
    echo "lint: yapf would reformat the files above; 'bash tools/lint.sh --fix PATHS' does it" >&2
    status=1
fi
rm -f "$diff_file"
if [ "$status" -eq 0 ]; then
    echo "lint: ${#files[@]} files clean (flake8, isort, yapf)" >&2
else
    echo "lint: failed; 'bash tools/lint.sh --fix PATHS' fixes import order and layout" >&2
fi
exit "$status"
