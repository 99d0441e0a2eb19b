#!/usr/bin/env bash
# npm start: build everything, then serve dist/site/ on http://localhost:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
port="${PORT:-8080}"
cat <<MSG

covercheck is built.
  Hosted page:   http://localhost:${port}/
  Offline file:  $(pwd)/dist/covercheck.html  (open it from disk; it needs no network)
  Command line:  build/native/covercheck query --code 47371 --product medicare-ppo-blue --setting outpatient

Serving dist/site/ (Ctrl+C to stop).
MSG
exec npx --no-install sirv dist/site --port "$port" --host 127.0.0.1 --etag
