#!/usr/bin/env bash
# Build the rihla WASM package for Node (bindings-wasm/build.sh nodejs -> bindings-wasm/pkg)
# and for browsers (build.sh web -> bindings-wasm/pkg-web; same .wasm, other JS glue,
# smoke-tested under Node with initSync) and run its tests with Node's built-in runner (conformance vectors + API tests), then
# print the module size, raw and gzip.
# Env: RIHLA_VECTORS=dir1:dir2 adds conformance suites (in the format of vectors/*.json);
#      RIHLA_WASM_SKIP_BUILD=1 reuses an existing bindings-wasm/pkg.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PKG="bindings-wasm/pkg"
if [[ "${RIHLA_WASM_SKIP_BUILD:-0}" != "1" ]]; then
  bash bindings-wasm/build.sh nodejs "$PKG"
  bash bindings-wasm/build.sh web bindings-wasm/pkg-web
fi

echo "--- node $(node --version) --test bindings-wasm/tests/"
node --test bindings-wasm/tests/

raw=$(wc -c <"$PKG/rihla_wasm_bg.wasm")
gz=$(gzip -9 -c "$PKG/rihla_wasm_bg.wasm" | wc -c)
printf 'rihla wasm size: %d bytes raw (%d KiB), %d bytes gzip -9 (%d KiB)\n' \
  "$raw" "$((raw / 1024))" "$gz" "$((gz / 1024))"
