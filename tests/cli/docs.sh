#!/usr/bin/env bash
# The reference documentation and the bash completion, against the program:
# every command that `minimesos --help` lists, and every long option that a
# usage text names, appears in docs/man/minimesos.1, docs/cli.md and
# completion/minimesos.bash; the man page renders without a warning; the
# completion script is valid bash and completes commands and options.
# MM_DOCS_ROOT points at another tree holding docs/ and completion/ (to check
# a copy); the default is this repository.
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
root=${MM_DOCS_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
man=$root/docs/man/minimesos.1
md=$root/docs/cli.md
comp=$root/completion/minimesos.bash
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

check "man page exists" test -s "$man"
check "docs/cli.md exists" test -s "$md"
check "completion exists" test -s "$comp"

# ---- what the program says ----

run "$mm" --help; expect_status 0
main_usage=$out
commands=$(printf '%s\n' "$main_usage" | sed -n '/^Commands:/,/^$/p' | awk 'NF && $1 != "Commands:" { print $1 }')
check "--help lists commands" test "$(printf '%s\n' "$commands" | grep -c .)" -ge 10
long_opts() { grep -o -- '--[a-zA-Z][-a-zA-Z]*' | sort -u; }
global_opts=$(printf '%s\n' "$main_usage" | sed -n '1p' | long_opts)
check "--help names global options" test -n "$global_opts"

# ---- where a name must appear ----

# An option in a plain text file, as a whole word ("--to" is not found
# inside "--timeout").
text_has_opt() { grep -Eq -- "(^|[^-a-zA-Z])$1([^-a-zA-Z]|\$)" "$2"; }
# An option in the man page: in its text as groff renders it; without groff,
# in its source with font changes and macro argument breaks taken out and
# every '\-' read as '-'.
if command -v groff >/dev/null 2>&1; then
    groff -man -Tascii -P-c -P-b -P-u -rLL=250n "$man" > man.txt 2>/dev/null
else
    sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' \
        -e '/^\.[BIR][BIR] /{s/^\.[BIR][BIR] //;s/"//g;s/ //g;}' -e 's/^\.[BI] //' "$man" > man.txt
fi
man_has_opt() { text_has_opt "$1" man.txt; }

# What the completion offers for the words "$@" (the last one being completed).
complete_words() {
    bash -c '
        . "$1" || exit 1
        complete -p minimesos >/dev/null || exit 1
        shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _minimesos || exit 1
        printf "%s\n" "${COMPREPLY[@]}"
    ' _ "$comp" "$@" 2>/dev/null
}
offers() { local want=$1; shift; complete_words "$@" | grep -qxF -- "$want"; }

# ---- commands ----

offered_commands=$(complete_words minimesos "")
for c in $commands; do
    check "man page: .SS $c" grep -Eq "^\.SS \"?$c\"?[[:space:]]*\$" "$man"
    check "docs/cli.md: ## $c" grep -Eq "^## $c[[:space:]]*\$" "$md"
    check "completion file: $c" grep -Eqw -- "$c" "$comp"
    check "completion offers $c" sh -c 'printf "%s\n" "$1" | grep -qxF -- "$2"' _ "$offered_commands" "$c"
done
for c in $offered_commands; do
    check "completion offers only real commands: $c" sh -c 'printf "%s\n" "$1" | grep -qxF -- "$2"' _ "$commands" "$c"
done

# ---- options ----

# A placeholder such as init's --no-SERVICE ends in a capitalised word; it is
# documented as written but not offered by the completion.
is_placeholder() { printf '%s' "$1" | grep -Eq -- '-[A-Z]+$'; }

for o in $global_opts; do
    check "man page: global $o" man_has_opt "$o"
    check "docs/cli.md: global $o" text_has_opt "$o" "$md"
    check "completion file: global $o" text_has_opt "$o" "$comp"
    check "completion offers global $o" offers "$o" minimesos --
done

for c in $commands; do
    [ "$c" = help ] && continue   # `help help` is no usage text; help's options are the global ones
    run "$mm" help "$c"; expect_status 0
    # every option the text names (ps's text names `logs --task`) ...
    opts=$(printf '%s\n' "$out" | long_opts)
    # ... and those it declares: in the synopsis, or at the start of a line
    declared=$( { printf '%s\n' "$out" | sed -n '1,/^$/p'
                  printf '%s\n' "$out" | grep -E -- '^[[:space:]]+(-[a-zA-Z], )?--'; } | long_opts)
    for o in $opts; do
        check "man page: $c $o" man_has_opt "$o"
        check "docs/cli.md: $c $o" text_has_opt "$o" "$md"
        check "completion file: $c $o" text_has_opt "$o" "$comp"
    done
    for o in $declared; do
        is_placeholder "$o" || check "completion offers $c $o" offers "$o" minimesos "$c" --
    done
    # and the completion offers no long option that the program does not name
    for o in $(complete_words minimesos "$c" -- | grep -- '^--'); do
        [ "$o" = --help ] && continue
        check "completion: $c $o is in the usage" sh -c 'printf "%s\n" "$1" | grep -qxF -- "$2"' _ "$declared" "$o"
    done
done

# ---- the man page ----

if command -v groff >/dev/null 2>&1; then
    run groff -man -ww -z "$man"; expect_status 0
    check "groff -man -ww -z prints nothing" test -z "$out$err"
else
    echo "docs: skipped the groff check: groff is not installed"
fi
# Hyphens in the source are written \- (a plain '-' may print as a hyphen
# that cannot be copied into a shell).
check "man page: no unescaped --" sh -c '! grep -v "^\.\\\\\"" "$1" | grep -Eq "(^|[^\\\\])--"' _ "$man"

# ---- the completion ----

run bash -n "$comp"; expect_status 0; expect_err_empty
check "completing 'minimesos ' offers up" offers up minimesos ""
check "completing 'minimesos up --' offers --clusterConfig" offers --clusterConfig minimesos up --
check "completing 'minimesos lint --format ' offers gcc" offers gcc minimesos lint --format ""
check "completing 'minimesos up --pull ' offers never" offers never minimesos up --pull ""
# The Mesos versions are the schema table's (one source): the completion and
# docs/cli.md's `init --mesos-version` row list exactly those, in its order.
run "$mm" schema; expect_status 0
versions=$(printf '%s\n' "$out" | jq -r '[.. | objects | select(has("mesosVersion")) | .mesosVersion.enum // empty][0] | join(" ")' 2>/dev/null)
check "the schema lists the Mesos versions" test -n "$versions"
for v in $versions; do
    check "completing 'minimesos init --mesos-version ' offers $v" offers "$v" minimesos init --mesos-version ""
done
check "completion: the Mesos versions are the schema's ($versions)" grep -Fq "\"$versions\"" "$comp"
check "docs/cli.md: --mesos-version lists the schema's versions" grep -Fq "one of \`$versions\`" "$md"
touch some.minimesosFile
check "completing 'minimesos lint so' offers a file" offers some.minimesosFile minimesos lint so
check "completing 'minimesos up --clusterConfig so' offers a file" offers some.minimesosFile minimesos up --clusterConfig so

finish docs
