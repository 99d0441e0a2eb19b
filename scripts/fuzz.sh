#!/usr/bin/env bash
# npm run fuzz [-- SECONDS [TARGET...]]: builds the libFuzzer targets (preset `fuzz`: clang,
# optimised, ASan + UBSan) and runs each in turn for SECONDS (default 60, or $FUZZ_SECONDS), at
# low priority and one at a time. Corpora grow in build/fuzz/corpus/<target>/ and are kept between
# runs; crashes are written to build/fuzz/artifacts/<target>/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-${FUZZ_SECONDS:-60}}"
[ $# -gt 0 ] && shift
case "$seconds" in
  '' | *[!0-9]*) echo "fuzz: the first argument is a number of seconds per target, not \"$seconds\"" >&2; exit 1 ;;
esac
wanted=("$@")

command -v clang++ >/dev/null 2>&1 || {
  echo "fuzz: clang++ is missing. Run: sudo apt-get install -y clang libclang-rt-14-dev" >&2
  exit 1
}
cmake --preset fuzz >/dev/null
nice -n 10 cmake --build --preset fuzz -j "$(nproc 2>/dev/null || echo 2)"

list=build/fuzz/fuzzers.txt
[ -s "$list" ] || { echo "fuzz: $list lists no targets; reconfigure with: cmake --preset fuzz" >&2; exit 1; }

status=0
ran=0
while IFS=$'\t' read -r name binary seeds options; do
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  corpus="build/fuzz/corpus/$name"
  artifacts="build/fuzz/artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  log="build/fuzz/$name.log"
  printf '\n== %s: %s s (log: %s)\n' "$name" "$seconds" "$log"
  # shellcheck disable=SC2086 # the options are separate words
  if nice -n 19 "$binary" -max_total_time="$seconds" -print_final_stats=1 $options \
      -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1; then
    grep -E '^(stat::|Done|#[0-9]+[[:space:]]+DONE)' "$log" || true
  else
    status=1
    tail -n 40 "$log"
    echo "fuzz: $name found a problem. Reproduce with: $binary $artifacts/<file>" >&2
    echo "      then add the input as a regression case (tests/cases/error-*.json or a Catch2 test) and fix the core." >&2
  fi
  ran=$((ran + 1))
done <"$list"

[ "$ran" -gt 0 ] || { echo "fuzz: no target named ${wanted[*]}; see $list" >&2; exit 1; }
exit "$status"
