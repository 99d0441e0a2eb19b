#!/usr/bin/env bash
# npm test: set up and build (scripts/build.sh), then run every suite:
#   native Catch2 (ctest); the same suite under ASan + UBSan with a short run of each fuzzer
#   (native-asan, clang); the Catch2 suite under node (wasm); node:test against the built module,
#   the CLI and the policy data; and browser tests in Debian's Chromium (offline file and site).
# FUZZ_SMOKE_SECONDS (default 4) sets the fuzzers' run; COVERCHECK_FUZZ=0 skips the clang step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

step() { printf '\n== %s\n' "$*"; }

step "Catch2, native"
ctest --preset native

if [ "${COVERCHECK_FUZZ:-1}" = 1 ]; then
  step "Catch2 under AddressSanitizer + UndefinedBehaviorSanitizer, and each fuzzer for ${FUZZ_SMOKE_SECONDS:-4} s"
  cmake --preset native-asan -DCOVERCHECK_FUZZ_SMOKE_SECONDS="${FUZZ_SMOKE_SECONDS:-4}" >/dev/null
  cmake --build --preset native-asan -j "$(nproc 2>/dev/null || echo 2)"
  ctest --preset native-asan
else
  step "sanitizers and fuzzers: skipped (COVERCHECK_FUZZ=0)"
fi

step "Catch2, WebAssembly under node"
ctest --preset wasm

step "policy data (schema, faithful to the source)"
node --test tests/data/

step "JavaScript API against the WebAssembly module, and the CLI"
node --test tests/wasm/

step "browser: offline file and hosted site (Chromium)"
node --test --test-concurrency=1 tests/e2e/

printf '\nall suites passed\n'
