# Tiny assertion helpers for the shell test suites (sourced).
# run CMD...: runs it, keeping status in $st, stdout in $out, stderr in $err.
# Each expect_* counts a pass or a failure; finish NAME prints
# "NAME: N passed, M failed" and exits non-zero on any failure.
_pass=0; _fail=0
run() { out=$("$@" 2>/tmp/mm-test-err.$$); st=$?; err=$(cat /tmp/mm-test-err.$$); rm -f /tmp/mm-test-err.$$; last="$*"; }
run_in() { local input=$1; shift; out=$(printf '%s' "$input" | "$@" 2>/tmp/mm-test-err.$$); st=$?; err=$(cat /tmp/mm-test-err.$$); rm -f /tmp/mm-test-err.$$; last="$*"; }
_ok() { _pass=$((_pass+1)); }
_no() { _fail=$((_fail+1)); echo "FAIL: $last: $*" >&2; }
expect_status() { [ "$st" -eq "$1" ] && _ok || _no "status $st, want $1 (stderr: ${err:0:400})"; }
expect_out() { printf '%s\n' "$out" | grep -Eq -- "$1" && _ok || _no "stdout lacks /$1/: ${out:0:400}"; }
expect_no_out() { printf '%s\n' "$out" | grep -Eq -- "$1" && _no "stdout has /$1/" || _ok; }
expect_err() { printf '%s\n' "$err" | grep -Eq -- "$1" && _ok || _no "stderr lacks /$1/: ${err:0:400}"; }
expect_err_empty() { [ -z "$err" ] && _ok || _no "stderr not empty: ${err:0:400}"; }
check() { local what=$1; shift; last=$what; if "$@"; then _ok; else _no "$what"; fi; }
finish() { echo "$1: $_pass passed, $_fail failed"; [ "$_fail" -eq 0 ]; exit $?; }
