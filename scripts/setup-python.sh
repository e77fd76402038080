#!/usr/bin/env bash
# Create the repository's Python virtualenv (.venv, gitignored) and install the pinned
# build/test tools into it:
#   - scripts/python-requirements.txt        (maturin, pytest)
#   - bindings-python/requirements-dev.txt   (the binding's own dev tools), if present
# Idempotent and fast when nothing changed: a stamp in .venv records a hash of the
# interpreter and of both requirement files, and pip runs only when it differs.
# Interpreter: $PYTHON if set, else python3 (3.9+ needed; the module is abi3-py39).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
VENV=".venv"
REQS=(scripts/python-requirements.txt)
if [[ -f bindings-python/requirements-dev.txt ]]; then
  REQS+=(bindings-python/requirements-dev.txt)
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
    echo "setup-python: $PYTHON is missing or older than 3.9 (set PYTHON=/path/to/python3)" >&2
    exit 1
  fi
  echo "setup-python: creating $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV"
fi

stamp_file="$VENV/.rihla-setup-stamp"
stamp="$( { "$VENV/bin/python" --version 2>&1; cat "${REQS[@]}"; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
  echo "setup-python: $VENV up to date ($("$VENV/bin/python" --version 2>&1); ${REQS[*]})"
  exit 0
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
for req in "${REQS[@]}"; do
  echo "setup-python: pip install -r $req"
  "$VENV/bin/python" -m pip install --quiet -r "$req"
done
echo "$stamp" >"$stamp_file"
"$VENV/bin/python" -m pip list --format=freeze 2>/dev/null | grep -iE '^(maturin|pytest|mypy)==' || true
