#!/usr/bin/env bash
# One colour rule for every command that prints diagnostics (lint, config,
# convert, fmt): colour only on a terminal, never with NO_COLOR set to
# anything but "" (no-color.org), never with TERM=dumb. Runs each under a
# pseudo-terminal (script(1)), where colour is the default.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
command -v script >/dev/null || { echo "color: skipped: script(1) is not installed"; echo "color: 0 passed, 0 failed"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'minimesos {\n    timeout = \n}\n' >"$tmp/bad"
esc=$(printf '\033\\[')
tty_run() {  # ENV-ASSIGNMENTS... -- CMD: stdout+stderr of CMD run on a pty
  local envs=(); while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  out=$(env -u NO_COLOR "${envs[@]}" script -qec "$(printf '%q ' "$@")" /dev/null 2>&1); st=$?; err=""; last="$* (${envs[*]})"
}
for cmd in "lint $tmp/bad" "config --clusterConfig $tmp/bad" "convert $tmp/bad --to json" "fmt --check $tmp/bad"; do
  # shellcheck disable=SC2086
  tty_run TERM=xterm -- "$mm" $cmd; expect_out "$esc"
  tty_run TERM=xterm NO_COLOR=1 -- "$mm" $cmd; expect_no_out "$esc"
  tty_run TERM=dumb -- "$mm" $cmd; expect_no_out "$esc"
  tty_run TERM=xterm NO_COLOR= -- "$mm" $cmd; expect_out "$esc"
  # not a terminal: never
  run "$mm" $cmd; expect_no_out "$esc"; printf '%s' "$err" | grep -q "$esc" && _no "colour on a pipe: $cmd" || _ok
done
finish color
