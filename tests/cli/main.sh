#!/usr/bin/env bash
# The dispatcher: help, version, unknown commands and options, exit codes.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

run "$mm" --help;            expect_status 0; expect_out 'usage: minimesos'; expect_out 'lint'
run "$mm" help;              expect_status 0; expect_out 'Commands:'
run "$mm" help lint;         expect_status 0; expect_out 'usage: minimesos lint'
run "$mm" lint --help;       expect_status 0; expect_out 'usage: minimesos lint'; expect_err_empty
run "$mm" help nosuch;       expect_status 2; expect_err "unknown command 'nosuch'"
run "$mm" nosuch;            expect_status 2; expect_err "minimesos: unknown command 'nosuch'"; expect_err 'usage: minimesos'
run "$mm" --nosuch;          expect_status 2; expect_err "unknown option '--nosuch'"
run "$mm" version;           expect_status 0; expect_out '^[0-9]+\.[0-9]+\.[0-9]+$'
run "$mm" --version;         expect_status 0; expect_out '^[0-9]+\.[0-9]+\.[0-9]+$'
run "$mm" version extra;     expect_status 2; expect_err "unexpected argument 'extra'"
for c in init lint config convert fmt up run destroy info state ps logs install uninstall; do
  run "$mm" "$c" --no-such-option; expect_status 2; expect_err 'minimesos: '; expect_err "usage: minimesos $c"
  run "$mm" help "$c"; expect_status 0; expect_out "usage: minimesos $c"
done
# run: the command goes after --; a bad command line is 2 and contacts nothing.
for args in "" "--" "true" "--timeout 5 true" "--dry-run -- true" "--timeout 0 -- true" "--pull sometimes -- true"; do
  DOCKER_HOST=unix:///nonexistent run "$mm" run $args; expect_status 2; expect_err 'usage: minimesos run'
done
DOCKER_HOST=unix:///nonexistent run "$mm" run; expect_err "no \`-- COMMAND\`"
DOCKER_HOST=unix:///nonexistent run "$mm" run --; expect_err "no COMMAND after --"
DOCKER_HOST=unix:///nonexistent run "$mm" run x -- true; expect_err "unexpected argument 'x' \(COMMAND goes after --\)"
# --help after -- is COMMAND's; before it, run's.
run "$mm" run --timeout 5 --help -- true; expect_status 0; expect_out 'usage: minimesos run'
# No engine: the cluster never came up, COMMAND not run, exit 1.
echo 'minimesos { }' > minimesosFile
DOCKER_HOST=unix:///nonexistent run "$mm" run -- touch ran; expect_status 1
expect_err '^minimesos: cannot reach the Docker engine at unix:///nonexistent'
check "run without a cluster did not run COMMAND" test ! -e ran
rm -f minimesosFile
# --debug traces every HTTP request, including one that fails; off by default.
DOCKER_HOST=unix:///nonexistent run "$mm" --debug destroy
expect_status 1
expect_err '^minimesos: debug: GET http://localhost/version via unix:/nonexistent -> failed after [0-9]+ ms: no such socket$'
expect_err '^minimesos: cannot reach the Docker engine at unix:///nonexistent \(DOCKER_HOST\): no such socket$'
DOCKER_HOST=unix:///nonexistent run "$mm" destroy
expect_status 1
printf '%s\n' "$err" | grep -q 'debug:' && _no "a debug line without --debug" || _ok
# No cluster here: bare minimesos prints the usage.
run "$mm";                   expect_status 0; expect_out 'usage: minimesos'
finish main
