#!/usr/bin/env bash
# Makes sure this machine can build and test covercheck: Debian packages (installed when run
# as root, otherwise the exact command is printed) and the npm packages from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v cmake >/dev/null 2>&1 || packages+=(cmake)
command -v g++ >/dev/null 2>&1 || packages+=(g++)
command -v em++ >/dev/null 2>&1 || packages+=(emscripten)
[ -f /usr/include/nlohmann/json.hpp ] || packages+=(nlohmann-json3-dev)
[ -f /usr/include/catch2/catch.hpp ] || packages+=(catch2)
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ "${COVERCHECK_FUZZ:-1}" = 1 ]; then
  command -v clang++ >/dev/null 2>&1 || packages+=(clang)
  ls /usr/lib/llvm-14/lib/clang/14*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 || packages+=(libclang-rt-14-dev)
fi

if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "setup: missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
fi

command -v node >/dev/null 2>&1 || { echo "setup: node 20 or later is required (apt-get install nodejs npm)" >&2; exit 1; }

# npm packages: install when missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
