#!/usr/bin/env bash
# Install the WASM toolchain rihla's bindings-wasm build needs:
#   - the wasm32-unknown-unknown rustc target
#   - wasm-bindgen-cli, at exactly the version of the `wasm-bindgen` crate pinned
#     with `=` in bindings-wasm/Cargo.toml (the CLI refuses modules built by another
#     version).
# Idempotent: when everything is already installed it only runs two quick checks.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Keep in sync with `wasm-bindgen = "=X"` in bindings-wasm/Cargo.toml (checked below).
WASM_BINDGEN_VERSION="0.2.130"

pinned="$(sed -n 's/^wasm-bindgen[[:space:]]*=[[:space:]]*"=\([0-9.]*\)".*/\1/p' bindings-wasm/Cargo.toml | head -n1)"
if [[ -n "$pinned" && "$pinned" != "$WASM_BINDGEN_VERSION" ]]; then
  echo "setup-wasm: bindings-wasm/Cargo.toml pins wasm-bindgen =$pinned but this script installs $WASM_BINDGEN_VERSION" >&2
  exit 1
fi

export CARGO_INCREMENTAL=0
# cargo-installed tools first: wasm-bindgen must be the version setup-wasm.sh installs.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if rustup target list --installed 2>/dev/null | grep -qx 'wasm32-unknown-unknown'; then
  echo "setup-wasm: target wasm32-unknown-unknown already installed"
else
  echo "setup-wasm: adding target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

installed=""
if command -v wasm-bindgen >/dev/null 2>&1; then
  installed="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
fi
if [[ "$installed" == "$WASM_BINDGEN_VERSION" ]]; then
  echo "setup-wasm: wasm-bindgen $installed already installed"
else
  echo "setup-wasm: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (was: ${installed:-none}); takes a few minutes"
  # No --locked: the CLI's lockfile failed to build here (a machine fact: cargo install --locked failed on these machines).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

wasm-bindgen --version
