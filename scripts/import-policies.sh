#!/usr/bin/env bash
# Imports every policy document (*.txt) in a folder into policy-data/policies/<name>.json, then
# rebuilds the bundle. Each document is read by `covercheck import`; the result is checked with
# `covercheck validate` (the core's loader) and against the JSON Schema (as the build does), and
# written only when the import is complete, or with --accept-review when it still validates.
#
#   scripts/import-policies.sh [--accept-review] [--no-build] [FOLDER]   (FOLDER: policy-data/sources)
#
# A document from another folder is first copied into policy-data/sources/, because each policy
# names its source file (relative to policy-data/) and the tests check every sentence against it.
# Exit status: 0 all imported, 1 a document could not be imported or validated, 2 some need review.
set -euo pipefail
cd "$(dirname "$0")/.."

accept_review=0
build=1
folder=policy-data/sources
while [ $# -gt 0 ]; do
  case "$1" in
    --accept-review) accept_review=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "import-policies: unknown option $1 (see --help)" >&2; exit 1 ;;
    *) folder=$1 ;;
  esac
  shift
done
[ -d "$folder" ] || { echo "import-policies: $folder is not a folder" >&2; exit 1; }

cli=build/native/covercheck
if [ ! -x "$cli" ]; then
  echo "import-policies: building the command line (cmake --preset native)"
  cmake --preset native >/dev/null
  cmake --build --preset native --target covercheck_cli >/dev/null
fi
[ -d node_modules/ajv ] || { echo "import-policies: npm packages are missing: run npm ci" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
written=0 failed=0 review=0 seen=0
shopt -s nullglob
for source in "$folder"/*.txt; do
  seen=$((seen + 1))
  name=$(basename "$source" .txt)
  # The same id the CLI derives from the file name: lower case, other characters become "-".
  id=$(printf '%s' "$name" | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//')
  if [ -z "$id" ]; then
    echo "$source: cannot make a policy id from the file name" >&2
    failed=$((failed + 1)); continue
  fi
  target=policy-data/sources/$name.txt
  if [ "$(realpath "$source")" != "$(realpath -m "$target")" ]; then
    if [ -e "$target" ] && ! cmp -s "$source" "$target"; then
      echo "$source: a different $target already exists; not replaced" >&2
      failed=$((failed + 1)); continue
    fi
    cp "$source" "$target"
  fi
  [ -e "policy-data/sources/$name.md" ] || echo "$target: note: add a provenance note policy-data/sources/$name.md"

  status=0
  "$cli" import "$target" --report --id "$id" --source-file "sources/$name.txt" >"$work/$id.json" 2>"$work/$id.report" || status=$?
  sed 's/^/  /' "$work/$id.report"
  if [ "$status" = 1 ]; then
    echo "$target: could not be imported" >&2
    failed=$((failed + 1)); continue
  fi
  if [ "$status" = 2 ] && [ "$accept_review" = 0 ]; then
    echo "$target: needs review (findings above); not written. Fix the text or rerun with --accept-review."
    review=$((review + 1)); continue
  fi
  if ! "$cli" validate "$work/$id.json" >/dev/null 2>"$work/$id.validate" ||
     ! node scripts/validate-policy.mjs "$work/$id.json" >/dev/null 2>>"$work/$id.validate"; then
    sed 's/^/  /' "$work/$id.validate" >&2
    echo "$target: the imported policy does not validate; not written" >&2
    failed=$((failed + 1)); continue
  fi
  [ "$status" = 2 ] && review=$((review + 1))
  out=policy-data/policies/$id.json
  if [ -e "$out" ] && cmp -s "$work/$id.json" "$out"; then
    echo "$out: unchanged"
  else
    cp "$work/$id.json" "$out"
    written=$((written + 1))
    echo "$out: written; review it with: git diff -- $out"
  fi
done
[ "$seen" -gt 0 ] || { echo "import-policies: no .txt documents in $folder" >&2; exit 1; }

if [ "$written" -gt 0 ] && [ "$build" = 1 ]; then
  echo "import-policies: rebuilding the bundle (npm run build)"
  npm run build --silent
fi
echo "import-policies: $seen document(s): $written written, $review need review, $failed failed"
[ "$failed" = 0 ] || exit 1
[ "$review" = 0 ] || exit 2
