#!/usr/bin/env bash
# minimesos fmt: stdin, in-place rewrite, --check, --diff, errors, exit codes.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
golden=$root/tests/golden/fmt
corpus=$root/tests/corpus
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# usage and command-line errors
run "$mm" fmt --help; expect_status 0; expect_out '^usage: minimesos fmt'
run "$mm" fmt --bogus; expect_status 2; expect_err 'unknown option --bogus'; expect_err '^usage: minimesos fmt'

# the golden files, through stdin
for in in "$golden"/*.in.minimesosFile; do
  want=${in%.in.minimesosFile}.out.minimesosFile
  "$mm" fmt - < "$in" > got.txt 2> err.txt; st=$?
  last="fmt - < $(basename "$in")"
  check "$(basename "$in"): exit 0" test "$st" -eq 0
  check "$(basename "$in"): matches golden" cmp -s got.txt "$want"
  # idempotent
  "$mm" fmt - < got.txt > again.txt
  check "$(basename "$in"): idempotent" cmp -s got.txt again.txt
done

# in place: rewritten atomically, mode kept, no temporary file left behind
cp "$golden/layout.in.minimesosFile" minimesosFile
chmod 640 minimesosFile
run "$mm" fmt; expect_status 0; expect_err_empty
check "default file rewritten" cmp -s minimesosFile "$golden/layout.out.minimesosFile"
check "mode kept" test "$(stat -c %a minimesosFile)" = 640
check "no temp files" test "$(ls -A | grep -c fmt-)" -eq 0
# nothing to change: --check quiet and 0, file untouched
run "$mm" fmt --check minimesosFile; expect_status 0
check "--check prints nothing when formatted" test -z "$out"
cp "$golden/comments.in.minimesosFile" messy.minimesosFile
cp messy.minimesosFile messy.orig
# --check: exit 1, lists the file, changes nothing
run "$mm" fmt --check messy.minimesosFile minimesosFile; expect_status 1
check "--check lists only the messy file" test "$out" = "messy.minimesosFile"
check "--check changes nothing" cmp -s messy.minimesosFile messy.orig
# --diff: a unified diff, exit 0, nothing changed; it applies with patch
run "$mm" fmt --diff messy.minimesosFile; expect_status 0
expect_out '^--- a/messy.minimesosFile$'
expect_out '^\+\+\+ b/messy.minimesosFile$'
expect_out '^@@ -[0-9]+,[0-9]+ \+[0-9]+,[0-9]+ @@$'
expect_out '^-    timeout = /\* inside \*/ 60$'
expect_out '^\+    timeout = 60 /\* inside \*/$'
check "--diff changes nothing" cmp -s messy.minimesosFile messy.orig
if command -v patch >/dev/null; then
  printf '%s\n' "$out" > d.patch
  cp messy.orig patched.minimesosFile
  patch -s patched.minimesosFile < d.patch >/dev/null 2>&1
  check "diff applies to the formatted text" cmp -s patched.minimesosFile "$golden/comments.out.minimesosFile"
fi
run "$mm" fmt --diff --check messy.minimesosFile; expect_status 1; expect_out '^@@'
run "$mm" fmt --diff minimesosFile; expect_status 0
check "--diff prints nothing when formatted" test -z "$out"
# --check and --diff on stdin
run_in "minimesos {a = 1}" "$mm" fmt --check -; expect_status 1; expect_out '<stdin>'
run_in $'minimesos {\n    a = 1\n}\n' "$mm" fmt --check -; expect_status 0

# a file with syntax errors is reported and left alone
printf 'minimesos {\n    timeout = 60 60\n}\n' > bad.minimesosFile
cp bad.minimesosFile bad.orig
run "$mm" fmt bad.minimesosFile; expect_status 1
expect_err '^bad.minimesosFile:2:18: error\[E101\]: unexpected number `60`'
expect_err 'not formatted'
check "bad file untouched" cmp -s bad.minimesosFile bad.orig
# several files: the good ones are still rewritten, exit 1
cp messy.orig messy.minimesosFile
run "$mm" fmt bad.minimesosFile messy.minimesosFile; expect_status 1
check "good file rewritten next to a bad one" cmp -s messy.minimesosFile "$golden/comments.out.minimesosFile"
# unreadable
run "$mm" fmt does-not-exist; expect_status 1; expect_err '^minimesos: fmt: cannot read does-not-exist'
# stdin with an error: nothing on stdout
run_in 'minimesos {' "$mm" fmt -; expect_status 1; expect_err 'E111'
check "no output on error" test -z "$out"

# a symbolic link: the target is formatted, the link stays a link
mkdir -p real && printf 'minimesos {\n  timeout=30\n}\n' > real/target && ln -sf real/target link
run "$mm" fmt link; expect_status 0
check "the link is still a link" test -L link
check "it still points at the target" test "$(readlink link)" = real/target
check "the target was formatted" grep -q '^    timeout = 30$' real/target
rm -rf real link

# every corpus file: formatting is idempotent and keeps every comment line
for f in "$corpus"/accept/*.minimesosFile; do
  "$mm" fmt - < "$f" > once.txt 2>/dev/null; st=$?
  last="fmt $(basename "$f")"
  check "$(basename "$f"): formats" test "$st" -eq 0
  "$mm" fmt --check - < once.txt > /dev/null
  check "$(basename "$f"): idempotent" test $? -eq 0
  grep -o '//.*' "$f" | sed 's/[[:space:]]*$//' | sort > c1.txt
  grep -o '//.*' once.txt | sed 's/[[:space:]]*$//' | sort > c2.txt
  check "$(basename "$f"): comments kept" cmp -s c1.txt c2.txt
done

finish fmt
