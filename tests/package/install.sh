#!/usr/bin/env bash
# make install into a DESTDIR, then use what it installed as a user would:
# the program, both man pages, the completion, and the C example built with
# nothing but `pkg-config --cflags --libs minimesos`. Then make uninstall
# removes exactly what install wrote.
# Usage: bash tests/package/install.sh   (from the repository, after make)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/lib.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root; prefix=/opt/mm
build=${BUILD:-build}

run make -s --no-print-directory BUILD="$build" install PREFIX=$prefix DESTDIR="$dest"
expect_status 0
for f in bin/minimesos lib/libminimesos.a lib/pkgconfig/minimesos.pc include/minimesos/cluster.h \
         include/minimesos/minimesos.h share/man/man1/minimesos.1 share/man/man5/minimesosFile.5 \
         share/bash-completion/completions/minimesos; do
  if [ -f "$dest$prefix/$f" ]; then _ok; else last="installed $f"; _no "missing after install"; fi
done

run "$dest$prefix/bin/minimesos" version; expect_status 0; expect_out '^[0-9]+\.[0-9]+\.[0-9]+$'

# pkg-config answers from the installed .pc, with the install prefix
export PKG_CONFIG_PATH=$dest$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
run pkg-config --cflags --libs minimesos; expect_status 0
expect_out "-I$dest$prefix/include"; expect_out "-lminimesos"; expect_out '-lcjson'
run pkg-config --modversion minimesos; expect_status 0; expect_out '^[0-9]+\.[0-9]+\.[0-9]+$'

# a C program of a user's, built with pkg-config alone: it parses a file
cat >"$tmp/user.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "minimesos/minimesos.h"
#include "minimesos/cluster.h"
int main(int argc, char **argv)
{
    mm_diags d;
    mm_diags_init(&d, argc > 1 ? argv[1] : "minimesosFile");
    mm_cluster *c = mm_cluster_load(argc > 1 ? argv[1] : "minimesosFile", 0, &d);
    if (!c) { fprintf(stderr, "not loaded\n"); return 1; }
    char *text = mm_cluster_to_minimesosfile(c);
    fputs(text, stdout);
    free(text); mm_cluster_free(c); mm_diags_free(&d);
    return 0;
}
C
run sh -c "cc -o '$tmp/user' '$tmp/user.c' \$(pkg-config --cflags --libs minimesos)"; expect_status 0
run "$tmp/user" examples/minimesosFile; expect_status 0; expect_out '^minimesos \{'
# the Check example too, as the README says to build it
run sh -c "cc -o '$tmp/cluster_test' examples/cluster_test.c \$(pkg-config --cflags --libs minimesos check)"
expect_status 0

# the man pages render from where they were installed
if command -v man >/dev/null; then
  run sh -c "MANWIDTH=80 man -l '$dest$prefix/share/man/man5/minimesosFile.5' | col -b"
  expect_status 0; expect_out 'mapPortsToHost'
  run sh -c "MANWIDTH=80 man -l '$dest$prefix/share/man/man1/minimesos.1' | col -b"
  expect_status 0; expect_out 'destroy'
fi

# completion: sourced in bash, it completes the commands
run bash -c ". '$dest$prefix/share/bash-completion/completions/minimesos'; COMP_WORDS=(minimesos de); COMP_CWORD=1; \
  _minimesos 2>/dev/null || true; printf '%s\n' \"\${COMPREPLY[@]}\""
expect_out '^destroy$'

run make -s --no-print-directory BUILD="$build" uninstall PREFIX=$prefix DESTDIR="$dest"; expect_status 0
left=$(find "$dest" -type f | sed "s|^$dest||")
if [ -z "$left" ]; then _ok; else last="make uninstall"; _no "left behind: $left"; fi

finish install
