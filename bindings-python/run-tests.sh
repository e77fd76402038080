#!/usr/bin/env bash
# Build the rihla Python module into the repository's .venv (maturin develop, editable) and
# test it: pytest over bindings-python/tests (conformance vectors + API tests), then mypy's
# stubtest of the hand-kept stubs python/rihla/_rihla.pyi against the built module.
#
# Env: RIHLA_VECTORS=dir1:dir2   extra conformance suites (docs/conformance.md)
#      RIHLA_PY_RELEASE=1        build with --release (default: debug, faster to build here)
#      RIHLA_PY_SKIP_BUILD=1     reuse the module already installed in .venv
#      RIHLA_PY_SKIP_STUBTEST=1  skip stubtest
# Exits non-zero on any failure, including pytest collecting no test (exit code 5).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

VENV="$REPO/.venv"
if [[ -f scripts/setup-python.sh ]]; then
  bash scripts/setup-python.sh
elif [[ ! -x "$VENV/bin/python" ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet maturin==1.16.0 pytest -r bindings-python/requirements-dev.txt
fi
PY="$VENV/bin/python"
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"

if [[ "${RIHLA_PY_SKIP_BUILD:-0}" != "1" ]]; then
  profile=()
  if [[ "${RIHLA_PY_RELEASE:-0}" == "1" ]]; then
    profile=(--release)
  fi
  echo "--- maturin develop ${profile[*]:-} (bindings-python)"
  "$VENV/bin/maturin" develop --manifest-path bindings-python/Cargo.toml ${profile[@]+"${profile[@]}"}
fi

echo "--- pytest bindings-python/tests"
set +e
"$PY" -m pytest bindings-python/tests -q
rc=$?
set -e
if [[ $rc -eq 5 ]]; then
  echo "run-tests: pytest collected no test" >&2
  exit 1
elif [[ $rc -ne 0 ]]; then
  exit "$rc"
fi

if [[ "${RIHLA_PY_SKIP_STUBTEST:-0}" != "1" ]]; then
  echo "--- mypy stubtest rihla._rihla"
  # Run from a neutral directory so that only the installed package is found.
  (cd "$VENV" && "$PY" -m mypy.stubtest rihla._rihla \
    --allowlist "$REPO/bindings-python/stubtest-allowlist.txt")
  echo "--- mypy --strict on the package and its tests"
  "$PY" -m mypy --strict \
    --cache-dir "$VENV/.mypy_cache" \
    bindings-python/python/rihla bindings-python/tests
fi
