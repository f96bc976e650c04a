#!/usr/bin/env bash
# minimesos lsp end to end in Neovim (tests/cli/lsp_nvim.lua): the editor's
# own LSP client, real buffers, UTF-16 and UTF-8, LF and CRLF. Needs neovim
# (scripts/deps.sh test installs it); says so and passes when it is missing,
# as the docs suite does without groff. Bounded: the script waits at most
# 10 s for any one answer, and the whole run at most 300 s.
set -u
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v nvim >/dev/null 2>&1; then
  echo "nvim-lsp: skipped: nvim is not installed (scripts/deps.sh test installs neovim)"
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# the bad file: non-ASCII text before an error on its line, a string where a
# bool goes, an unknown block, an empty line in the agent to type on
printf '%s\n' \
  'minimesos {' \
  '    clusterName = "Zürich 🚀 東京"; timeot = 5' \
  '    mapPortsToHost = "true"; timeout = 30' \
  '    loggingLevel = "INFO"' \
  '    mastr { }' \
  '    agent {' \
  '        portNumber = 5051' \
  '        ' \
  '    }' \
  '}' > "$tmp/bad.minimesosFile"
sed 's/$/\r/' "$tmp/bad.minimesosFile" > "$tmp/bad-crlf.minimesosFile"
cp "$root/tests/golden/fmt/comments.in.minimesosFile" "$tmp/messy.minimesosFile"
printf 'minimesos {\n    timeout = \n}\n' > "$tmp/syntax.minimesosFile"
# Neovim writes its logs and state under XDG folders: keep them in $tmp
export XDG_CACHE_HOME=$tmp/cache XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
cd "$tmp"
MINIMESOS=$mm MM_ROOT=$root MM_TMP=$tmp timeout 300 \
  nvim --headless -u NONE -i NONE -n -c "luafile $root/tests/cli/lsp_nvim.lua" >out.txt 2>err.txt </dev/null
st=$?
cat err.txt >&2
if grep -q '^nvim-lsp: [0-9]* passed, [0-9]* failed$' out.txt; then
  grep '^nvim-lsp:' out.txt
else
  echo "FAIL: nvim ended (status $st) without a summary; its output:" >&2
  sed -n '1,40p' out.txt >&2
  echo "nvim-lsp: 0 passed, 1 failed"
  exit 1
fi
[ "$st" -eq 0 ] && grep -q '^nvim-lsp: [0-9]* passed, 0 failed$' out.txt
