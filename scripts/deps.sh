#!/usr/bin/env bash
# Installs the Debian packages the build and tests need when they are missing.
# As root it installs them (apt-get update first); otherwise it names them and fails.
# Usage: scripts/deps.sh [build|test|docker|all]
set -euo pipefail
what=${1:-all}
build_pkgs=(make gcc flex bison pkg-config libcurl4-openssl-dev libcjson-dev check)
test_pkgs=(jq valgrind clang libclang-rt-14-dev g++ groff man-db git neovim)
docker_pkgs=(docker.io busybox-static)
bench_pkgs=(hyperfine docker-compose time)
case "$what" in
  build) want=("${build_pkgs[@]}") ;;
  test) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  docker) want=("${docker_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${docker_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all) want=("${build_pkgs[@]}" "${test_pkgs[@]}" "${docker_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|docker|bench|all]" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
