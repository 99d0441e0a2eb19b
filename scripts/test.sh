#!/usr/bin/env bash
# npm test: set up and build (scripts/build.sh), then run every suite:
#   native Catch2 (ctest), the same Catch2 suite under node (wasm), node:test against the built
#   module and the policy data, and browser tests in Debian's Chromium (offline file and site).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

step() { printf '\n== %s\n' "$*"; }

step "Catch2, native"
ctest --preset native

step "Catch2, WebAssembly under node"
ctest --preset wasm

step "policy data (schema, faithful to the source)"
node --test tests/data/

step "JavaScript API against the WebAssembly module, and the CLI"
node --test tests/wasm/

step "browser: offline file and hosted site (Chromium)"
node --test --test-concurrency=1 tests/e2e/

printf '\nall suites passed\n'
