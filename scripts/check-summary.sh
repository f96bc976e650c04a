#!/usr/bin/env bash
# Adds up what every suite of `make check` reported in LOG: Check's
# "Checks: N, Failures: F, Errors: E" lines and the shell suites'
# "NAME: N passed, M failed" lines, and prints one closing line
# "check: N passed, M failed". Exits 1 when anything failed or nothing ran.
set -eu
log=${1:?usage: check-summary.sh LOG}
awk '
  /^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+/ {
    gsub(/,/, ""); total = $3; bad = $5 + $7; pass += total - bad; fail += bad; next }
  /^[A-Za-z][A-Za-z0-9_-]*: [0-9]+ passed, [0-9]+ failed/ {
    pass += $2; fail += $4 }
  END {
    printf "check: %d passed, %d failed\n", pass, fail
    exit (fail > 0 || pass == 0) ? 1 : 0 }' "$log"
