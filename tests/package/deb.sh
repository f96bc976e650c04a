#!/usr/bin/env bash
# The Debian packages: build minimesos and libminimesos-dev from a copy of the
# tree (committed and working files, debian/ included) with dpkg-buildpackage,
# lint them, install them with dpkg, use what they installed as a user would
# (the program, both man pages, the completion, pkg-config, a C program and the
# Check example built against the packaged library), then purge them again.
# The package's own tests are skipped in this build (nocheck, as an option and
# as a build profile, so jq is not needed): make check runs them already.
# As root only (dpkg -i); otherwise it says so and passes.
# Usage: bash tests/package/deb.sh   (from anywhere; as root)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. tests/lib.sh

if [ "$(id -u)" -ne 0 ]; then
  echo "deb: skipped: needs root (dpkg -i)"
  exit 0
fi

pkgs=(minimesos libminimesos-dev)

# The machine must end as it began: refuse to replace an installed copy.
for p in "${pkgs[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    last="dpkg-query $p"; _no "$p is already installed; remove it first (dpkg --purge libminimesos-dev minimesos)"
    finish deb
  fi
done

# What building, linting and using the packages needs (as scripts/deps.sh).
need=(build-essential dpkg-dev debhelper fakeroot lintian git man-db
      make gcc flex bison pkg-config libcurl4-openssl-dev libcjson-dev check)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deb: installing: ${missing[*]}" >&2
  run sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && \
    apt-get install -y -q --no-install-recommends ${missing[*]}"
  expect_status 0
  [ "$st" -eq 0 ] || finish deb
fi

tmp=$(mktemp -d)
installed=0
cleanup() {
  [ "$installed" -eq 1 ] && dpkg --purge "${pkgs[@]}" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

want=$(sed -n 's/^#define MINIMESOS_VERSION "\(.*\)"/\1/p' include/minimesos/runtime.h)
debver=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null)
upver=${debver#*:}; upver=${upver%-*}
last="debian/changelog version"
[ "$upver" = "$want" ] && _ok || _no "$debver: its upstream part is not $want (include/minimesos/runtime.h)"
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)

# ---- a copy of the tree: what git tracks or would track, as it is now ----
src=$tmp/minimesos-$upver
mkdir -p "$src"
run bash -c "git ls-files -z -co --exclude-standard | \
  while IFS= read -r -d '' f; do { [ -e \"\$f\" ] || [ -L \"\$f\" ]; } && printf '%s\0' \"\$f\"; done | \
  tar --null -cf - -T - | tar -C '$src' -xf -"
expect_status 0
check "copy has debian/control" test -f "$src/debian/control"
check "copy has no build folder" test ! -e "$src/build"

# ---- build (a MAKEFLAGS, BUILD or CFLAGS from a calling make stays out) ----
t0=$(date +%s)
(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEFILES -u BUILD -u SANITIZE \
   -u CC -u CFLAGS -u CPPFLAGS -u LDFLAGS -u LDLIBS \
   DEB_BUILD_OPTIONS=nocheck DEB_BUILD_PROFILES=nocheck dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
st=$?; last="dpkg-buildpackage -us -uc -b"
expect_status 0
[ "$st" -eq 0 ] || tail -30 "$tmp/build.log" >&2
echo "deb: built in $(( $(date +%s) - t0 )) s"
changes=$tmp/minimesos_${debver#*:}_$arch.changes
debs=()
for p in "${pkgs[@]}"; do
  f=$tmp/${p}_${debver#*:}_$arch.deb
  check "$p .deb built" test -f "$f"
  debs+=("$f")
done
check ".changes written" test -f "$changes"

# libcurl is loaded with dlopen, so dpkg-shlibdeps cannot see it: both name it
for f in "${debs[@]}"; do
  run dpkg-deb -f "$f" Depends; expect_status 0; expect_out '(^|, )libcurl4(,|$| )'
done
run dpkg-deb -f "${debs[1]}" Multi-Arch; expect_out '^same$'

# ---- lintian: no errors (warnings are shown, not failed) ----
run lintian "$changes"
expect_no_out '^E: '
expect_status 0
printf '%s\n' "$out" | grep -E '^[WE]: ' | sed 's/^/deb: lintian: /' >&2

# Without both packages there is nothing to install: stop here.
for f in "${debs[@]}"; do [ -f "$f" ] || finish deb; done

# ---- install ----
installed=1
run dpkg -i "${debs[@]}"; expect_status 0
for p in "${pkgs[@]}"; do
  run dpkg-query -W -f='${Status} ${Version}' "$p"; expect_out "^install ok installed ${debver#*:}\$"
done

# the installed program, not one elsewhere on PATH
run /usr/bin/minimesos version; expect_status 0; expect_out "^${want//./\\.}\$"
run /usr/bin/minimesos lint examples/minimesosFile; expect_status 0

# the man pages: man finds the packaged ones, and they render
run man -w -a minimesos; expect_status 0; expect_out '^/usr/share/man/man1/minimesos\.1\.gz$'
run man -w -a 5 minimesosFile; expect_status 0; expect_out '^/usr/share/man/man5/minimesosFile\.5\.gz$'
run sh -c "MANWIDTH=80 man -l /usr/share/man/man5/minimesosFile.5.gz | col -b"
expect_status 0; expect_out 'mapPortsToHost'

# the completion, where bash-completion loads it from
run bash -c ". /usr/share/bash-completion/completions/minimesos; COMP_WORDS=(minimesos de); COMP_CWORD=1; \
  _minimesos 2>/dev/null || true; printf '%s\n' \"\${COMPREPLY[@]}\""
expect_out '^destroy$'

# ---- pkg-config: the packaged .pc (system folders only, not /usr/local) ----
export PKG_CONFIG_LIBDIR=/usr/lib/$ma/pkgconfig:/usr/lib/pkgconfig:/usr/share/pkgconfig
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
run pkg-config --cflags --libs minimesos; expect_status 0
expect_out '(^| )-lminimesos( |$)'; expect_out '(^| )-lcjson( |$)'
run pkg-config --variable=pcfiledir minimesos; expect_out "^/usr/lib/$ma/pkgconfig\$"
run pkg-config --modversion minimesos; expect_status 0; expect_out "^${want//./\\.}\$"

# ---- a user's C program: packaged headers and library, pkg-config alone ----
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
# which header and which archive the compiler really took
run sh -c "cc -M '$tmp/user.c' \$(pkg-config --cflags minimesos)"; expect_status 0
expect_out '(^| )/usr/include/minimesos/minimesos\.h( |$)'
run sh -c "cc -o '$tmp/user' '$tmp/user.c' \$(pkg-config --cflags --libs minimesos) -Wl,--trace"
expect_status 0
ar=$(printf '%s\n' "$out" | grep 'libminimesos\.a' | head -1)
last="the archive ld took ($ar)"
[ -n "$ar" ] && [ "$(realpath -m "$ar")" = "/usr/lib/$ma/libminimesos.a" ] && _ok || _no "not /usr/lib/$ma/libminimesos.a"
run "$tmp/user" examples/minimesosFile; expect_status 0; expect_out '^minimesos \{'
run sh -c "cc -o '$tmp/cluster_test' examples/cluster_test.c \$(pkg-config --cflags --libs minimesos check)"
expect_status 0
check "cluster_test built" test -x "$tmp/cluster_test"

# ---- purge: the machine as before ----
run dpkg --purge "${pkgs[@]}"; expect_status 0
for p in "${pkgs[@]}"; do
  run dpkg-query -W -f='${db:Status-Status}' "$p"; last="$p purged"
  case $out in ''|not-installed) _ok ;; *) _no "status: $out" ;; esac
done
check "/usr/bin/minimesos removed" test ! -e /usr/bin/minimesos
check "/usr/include/minimesos removed" test ! -e /usr/include/minimesos
installed=0

finish deb
