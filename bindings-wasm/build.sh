#!/usr/bin/env bash
# Build the rihla WASM package: bash bindings-wasm/build.sh [TARGET] [OUT_DIR]
#   TARGET:  a wasm-bindgen target: nodejs (default), web, bundler, deno, ...
#   OUT_DIR: default bindings-wasm/pkg (nodejs) or bindings-wasm/pkg-TARGET (gitignore
#            covers bindings-wasm/pkg/ only; keep other outputs out of git yourself).
# Steps:
#   1. cargo build --target wasm32-unknown-unknown --release -p rihla-wasm, with the size
#      profile (opt-level "z", fat LTO, one codegen unit, panic = "abort") passed as
#      --config so that the workspace's own release profile (native tests) is untouched;
#   2. wasm-bindgen --target TARGET --out-dir OUT_DIR, dropping the `name` section (function
#      names, ~280 KB raw) unless RIHLA_WASM_KEEP_NAMES=1 (readable stack traces);
#   3. wasm-opt -Oz, only if a wasm-opt binary is already on PATH (optional);
#   4. a package.json in OUT_DIR, so that it can be `npm install`ed or imported as is
#      ("type": "commonjs" for nodejs, "module" for the ES-module targets).
# Needs scripts/setup-wasm.sh to have run (wasm32 target, wasm-bindgen-cli).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET="${1:-nodejs}"
if [[ "$TARGET" == "nodejs" ]]; then
  OUT="${2:-bindings-wasm/pkg}"
else
  OUT="${2:-bindings-wasm/pkg-$TARGET}"
fi

export CARGO_INCREMENTAL=0
# cargo-installed tools first: wasm-bindgen must be the version setup-wasm.sh installs.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WASM="$TARGET_DIR/wasm32-unknown-unknown/release/rihla_wasm.wasm"

echo "--- cargo build -p rihla-wasm (wasm32-unknown-unknown, release, size profile)"
cargo build --target wasm32-unknown-unknown --release -p rihla-wasm \
  --config 'profile.release.opt-level="z"' \
  --config 'profile.release.lto=true' \
  --config 'profile.release.codegen-units=1' \
  --config 'profile.release.panic="abort"'

echo "--- wasm-bindgen $(wasm-bindgen --version | awk '{print $2}') --target $TARGET --out-dir $OUT (names: ${RIHLA_WASM_KEEP_NAMES:-0})"
BINDGEN_FLAGS=(--target "$TARGET" --out-dir "$OUT")
if [[ "${RIHLA_WASM_KEEP_NAMES:-0}" != "1" ]]; then
  BINDGEN_FLAGS+=(--remove-name-section)
fi
rm -rf "$OUT"
wasm-bindgen "${BINDGEN_FLAGS[@]}" "$WASM"

if command -v wasm-opt >/dev/null 2>&1; then
  echo "--- wasm-opt -Oz ($(wasm-opt --version))"
  wasm-opt -Oz --all-features "$OUT/rihla_wasm_bg.wasm" -o "$OUT/rihla_wasm_bg.wasm.opt"
  mv "$OUT/rihla_wasm_bg.wasm.opt" "$OUT/rihla_wasm_bg.wasm"
else
  echo "--- wasm-opt not on PATH: skipped (optional)"
fi

echo "--- $OUT/package.json"
VERSION="$(cargo pkgid -p rihla-wasm | sed 's/.*[#@]//')"
node - "$OUT" "$TARGET" "$VERSION" <<'JS'
const fs = require('fs');
const path = require('path');
const [out, target, version] = process.argv.slice(2);
const esm = !['nodejs', 'no-modules'].includes(target);
const pkg = {
  name: 'rihla',
  version,
  description: 'rihla pricing engine and ledger (WebAssembly): rulebooks, quotes, allocation and a double-entry ledger with exact decimal money',
  license: 'MIT',
  type: esm ? 'module' : 'commonjs',
  main: 'rihla_wasm.js',
  types: 'rihla_wasm.d.ts',
  files: fs.readdirSync(out).filter((f) => f !== 'package.json').sort(),
  sideEffects: target === 'bundler' ? ['./rihla_wasm.js', './snippets/*'] : undefined,
};
fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
JS
