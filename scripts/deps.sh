#!/usr/bin/env bash
# Installs the Debian packages the build and tests need when they are missing.
# As root it installs them (apt-get update first); otherwise it names them and fails.
# `test` and `all` then run the `node` step: the JSON Schema validator of
# tests/schema/validate.sh (ajv-cli and ajv-formats, pinned) from the npm
# registry into build/node (MM_NODE_DIR), when it is not there; it needs
# node and npm, and no root.
# Usage: scripts/deps.sh [build|test|docker|bench|node|all]
set -euo pipefail
what=${1:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
node_dir=${MM_NODE_DIR:-$root/build/node}
node_step() {
  [ -x "$node_dir/node_modules/.bin/ajv" ] && [ -d "$node_dir/node_modules/ajv-formats" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js and npm (Debian packages nodejs npm)" >&2
    return 1
  fi
  echo "installing ajv-cli and ajv-formats into $node_dir" >&2
  npm install --no-audit --no-fund --silent --prefix "$node_dir" ajv-cli@5.0.0 ajv-formats@3.0.1 >&2
}
build_pkgs=(make gcc flex bison pkg-config libcurl4-openssl-dev libcjson-dev check)
test_pkgs=(jq valgrind clang libclang-rt-14-dev g++ groff man-db git neovim iproute2)
docker_pkgs=(docker.io busybox-static)
bench_pkgs=(hyperfine docker-compose time)
case "$what" in
  build) want=("${build_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  docker) want=("${docker_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${docker_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${docker_pkgs[@]}") ;;
  node) node_step; exit ;;
  *) echo "usage: $0 [build|test|docker|bench|node|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
case "$what" in test|all) node_step ;; esac
