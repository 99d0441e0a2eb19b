#!/usr/bin/env bash
# Builds everything: the native core, CLI and tests; the WebAssembly module and its tests; then
# the web files (web/generated/), the offline page dist/covercheck.html and the site dist/site/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# emcc loads Debian's acorn from here for optimised links.
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc 2>/dev/null || echo 2)

echo "build: native (build/native)"
cmake --preset native >/dev/null
cmake --build --preset native -j "$jobs"

echo "build: WebAssembly (build/wasm)"
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j "$jobs"

echo "build: web (web/generated, dist/)"
node scripts/build-web.mjs
