#!/usr/bin/env bash
# The JSON outputs against their schemas, with a real validator (Ajv, through
# ajv-cli from the npm registry, installed into build/node when missing by
# scripts/deps.sh node):
#  - `minimesos schema --for config|convert` are valid draft 2020-12 schemas
#    (Ajv's strict mode: no unknown keyword, no ambiguous type);
#  - every `config --format json` and `convert --to json` output of the
#    corpus's accept/ files, the golden files and init's templates is valid;
#  - hand-made wrong JSON (wrong type, unknown key, bad enum value, missing
#    key, a pattern not met, a needed block absent) is invalid, and where it
#    is a literal form, `lint` rejects it too; the corpus's reject/ files
#    that convert to JSON are invalid against the convert schema;
#  - `lint --format sarif` on good and bad files is valid SARIF 2.1.0
#    (tests/fixtures/sarif-schema-2.1.0.json, the OASIS schema; see
#    tests/fixtures/README.md), with relative URIs and 1-based regions that
#    agree with `lint --format json`.
# Usage: MINIMESOS=build/minimesos bash tests/schema/validate.sh
set -u
. "$(dirname "$0")/../lib.sh"
mm=${MINIMESOS:?set MINIMESOS to the minimesos binary}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$root/tests/corpus
node_dir=${MM_NODE_DIR:-$root/build/node}
ajv=$node_dir/node_modules/.bin/ajv
command -v jq >/dev/null || { echo "json-schema: jq is needed (scripts/deps.sh test)" >&2; exit 1; }

# ---- the validator ----
MM_NODE_DIR=$node_dir bash "$root/scripts/deps.sh" node ||
  { echo "json-schema: cannot install ajv-cli and ajv-formats (scripts/deps.sh node)" >&2; exit 1; }

jqe() { jq -e "$@" >/dev/null; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Validate each FILE against SCHEMA in one run of ajv; sets $verdicts to
# "FILE valid" / "FILE invalid" lines and $ajv_status. SPEC: draft2020|draft7.
# ajv-cli reads a data file by its extension: every FILE ends in .json.
ajv_run() {
  local spec=$1 schema=$2; shift 2
  local extra=()
  [ "$spec" = draft7 ] && extra=(--strict=false -c ajv-formats)
  local args=() f
  for f in "$@"; do args+=(-d "$f"); done
  ajv_out=$("$ajv" validate --spec="$spec" "${extra[@]}" -s "$schema" "${args[@]}" 2>&1)
  ajv_status=$?
  verdicts=$(printf '%s\n' "$ajv_out" | grep -E ' (valid|invalid)$')
}
# Each FILE must be valid (want=valid) or invalid (want=invalid).
expect_each() {
  local want=$1 spec=$2 schema=$3; shift 3
  ajv_run "$spec" "$schema" "$@"
  local f
  for f in "$@"; do
    last="$want against $(basename "$schema"): $f"
    if printf '%s\n' "$verdicts" | grep -qxF -- "$f $want"; then _ok
    else _no "ajv says: $(printf '%s\n' "$ajv_out" | grep -F -A4 -- "$f" | head -8)"; fi
  done
}

# ---- the schemas themselves ----
run "$mm" schema; expect_status 0; expect_err_empty
printf '%s\n' "$out" > config.schema.json
run "$mm" schema --for config; expect_status 0
check "schema without --for is the config one" test "$out" = "$(cat config.schema.json)"
run "$mm" schema --for=convert; expect_status 0; expect_err_empty
printf '%s\n' "$out" > convert.schema.json
run "$mm" schema --for yaml; expect_status 2; expect_err 'config or convert'
run "$mm" schema extra; expect_status 2; expect_err 'unexpected argument'
for s in config convert; do
  run "$ajv" compile --spec=draft2020 -s "$s.schema.json"; last="ajv compile $s.schema.json (strict)"
  expect_status 0
  check "$s schema names draft 2020-12" \
    test "$(jq -r '."$schema"' "$s.schema.json")" = https://json-schema.org/draft/2020-12/schema
done
check "config schema: loggingLevel is an enum" \
  test "$(jq -c '.properties.loggingLevel.enum' config.schema.json)" = '["INFO","WARNING","ERROR"]'
versions=$("$mm" help language | grep '^| `mesosVersion`' | cut -d'|' -f5 | sed 's/,//g; s/ or / /' | xargs)
check "config schema: mesosVersion enum is the reference's list ($versions)" \
  test "$(jq -r '.properties.mesosVersion.enum | join(" ")' config.schema.json)" = "$versions"
check "config schema: descriptions from the rows" \
  test "$(jq -r '.properties.timeout.description' config.schema.json)" = "seconds to wait for the cluster to be ready"
check "config schema: defaults from the rows" \
  test "$(jq -c '[.properties.timeout.default, ."$defs".agent.properties.portNumber.default, .properties.clusterName.default]' config.schema.json)" = '[60,5051,null]'
check "config schema: mesosResources is a required key of an agent" \
  jqe '."$defs".agent.required | index("mesosResources")' config.schema.json
for s in config convert; do
  check "$s schema: no other key, in every block" \
    jqe '[.. | objects | select(.type == "object" and has("properties")) | .additionalProperties] | all(. == false)' "$s.schema.json"
done
check "convert schema: registrator needs consul" \
  test "$(jq -c '.dependentRequired' convert.schema.json)" = '{"registrator":["consul"]}'

# ---- valid outputs ----
good_config=(); good_convert=()
for f in "$corpus"/accept/*.minimesosFile; do
  b=$(basename "$f" .minimesosFile)
  "$mm" config --clusterConfig "$f" --format json > "$b.config.json" 2>/dev/null
  check "config $b" test $? -eq 0
  "$mm" convert "$f" --to json > "$b.convert.json"
  check "convert $b" test $? -eq 0
  good_config+=("$b.config.json"); good_convert+=("$b.convert.json")
done
"$mm" config --clusterConfig "$corpus/accept/upstream-complete.minimesosFile" --compact > compact.config.json 2>/dev/null
good_config+=(compact.config.json)
for g in "$root"/tests/golden/config/*.json; do
  cp "$g" "golden-$(basename "$g" .json).config.json"; good_config+=("golden-$(basename "$g" .json).config.json")
done
: > empty.minimesosFile
"$mm" config --clusterConfig empty.minimesosFile > empty.config.json 2>/dev/null; good_config+=(empty.config.json)
"$mm" convert empty.minimesosFile --to json > empty.convert.json; good_convert+=(empty.convert.json)
i=0
for args in "--agents 0 --services none" "--agents 3" "--mesos-version 0.25 --no-marathon" "--mesos-version 0.28.1 --services consul,registrator"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$mm" init --stdout $args > "init$i.minimesosFile"
  "$mm" config --clusterConfig "init$i.minimesosFile" > "init$i.config.json"
  "$mm" convert "init$i.minimesosFile" --to json > "init$i.convert.json"
  good_config+=("init$i.config.json"); good_convert+=("init$i.convert.json")
done
# the literal form as the language allows it beyond convert's own output
cat > lenient.convert.json <<'J'
{
  "loggingLevel": "warning",
  "master": {"loggingLevel": "# inherit from cluster", "imageTag": "# derive from mesos version"},
  "agent": {"resources": {"cpu": {"value": "0.5"}, "mem": [{"role": "web", "value": 1e3}],
            "ports": [{"value": " [ 80 - 80 , 000443-443 ] "}]}},
  "consul": {},
  "registrator": {}
}
J
good_convert+=(lenient.convert.json)
expect_each valid draft2020 config.schema.json "${good_config[@]}"
expect_each valid draft2020 convert.schema.json "${good_convert[@]}"
run "$mm" convert lenient.convert.json --to minimesosFile; printf '%s\n' "$out" > lenient.minimesosFile
run "$mm" lint lenient.minimesosFile; expect_status 0

# ---- wrong JSON ----
base=upstream-complete.config.json
mk() { jq "$2" "$base" > "$1"; check "made $1" test -s "$1"; }
mk bad-type.config.json '.timeout = "60"'
mk bad-unknown-key.config.json '.clusterNme = "x"'
mk bad-enum-level.config.json '.loggingLevel = "DEBUG"'
mk bad-enum-lower.config.json '.loggingLevel = "info"'
mk bad-enum-version.config.json '.mesosVersion = "2.0"'
mk bad-missing-key.config.json 'del(.master)'
mk bad-missing-derived.config.json 'del(.agents[0].mesosResources)'
mk bad-null.config.json '.agents = null'
mk bad-master-null.config.json '.master = null'
mk bad-port.config.json '.agents[0].portNumber = 70000'
mk bad-float.config.json '.timeout = 1.5'
mk bad-role.config.json '.agents[0].resources.cpus[0].role = "-x"'
mk bad-scalar.config.json '.agents[0].resources.cpus[0].value = -1'
mk bad-ranges.config.json '.agents[0].resources.ports[0].value = "[31000-65536]"'
mk bad-image.config.json '.master.imageName = "Mesos:1.0"'
mk bad-tag.config.json '.master.imageTag = ".x"'
mk bad-registrator.config.json '.registrator = {"imageName": "gliderlabs/registrator", "imageTag": "v6"} | .consul = null'
mk bad-agent-key.config.json '.agents[0].resources.gpus = []'
bad_config=(bad-*.config.json)
expect_each invalid draft2020 config.schema.json "${bad_config[@]}"

base=upstream-complete.convert.json
mk wrong-type.convert.json '.timeout = "60"'
mk wrong-unknown-key.convert.json '.clusterNme = "x"'
mk wrong-renamed.convert.json '.exposePorts = true'
mk wrong-enum-level.convert.json '.loggingLevel = "DEBUG"'
mk wrong-enum-version.convert.json '.mesosVersion = "2.0"'
mk wrong-missing-value.convert.json '.agent[0].resources.cpu = [{"role": "*"}]'
mk wrong-missing-json.convert.json '.marathon.app = [{}]'
mk wrong-empty-json.convert.json '.marathon.app = [{"marathonJson": ""}]'
mk wrong-block-as-array.convert.json '.master = [.master]'
mk wrong-block-null.convert.json '.consul = null'
mk wrong-nullable.convert.json '.timeout = null'
mk wrong-scalar-text.convert.json '.agent[0].resources.cpu = [{"value": "1,5"}]'
mk wrong-scalar-negative.convert.json '.agent[0].resources.cpu = [{"value": "-2"}]'
mk wrong-port-zero.convert.json '.agent[0].portNumber = 0'
mk wrong-registrator.convert.json 'del(.consul) | .registrator = {}'
mk wrong-ranges.convert.json '.agent[0].resources.ports = [{"value": "31000-32000"}]'
# the golden file of convert has an error (imageTag = null): refused by both
cp "$root/tests/golden/convert/golden.json" wrong-golden.convert.json
bad_convert=(wrong-*.convert.json)
expect_each invalid draft2020 convert.schema.json "${bad_convert[@]}"
# ... and what the schema refuses, the language refuses
for j in "${bad_convert[@]}"; do
  last="lint refuses $j too"
  if "$mm" convert "$j" --to minimesosFile > "$j.minimesosFile" 2>/dev/null; then
    "$mm" lint "$j.minimesosFile" >/dev/null 2>&1; st=$?
    [ "$st" -eq 1 ] && _ok || _no "lint exit $st"
  else
    _ok  # convert itself refuses it
  fi
done
# the reject corpus: what converts is refused by the schema
rej=()
for f in "$corpus"/reject/*.minimesosFile; do
  b=$(basename "$f" .minimesosFile)
  "$mm" convert "$f" --to json > "reject-$b.convert.json" 2>/dev/null && rej+=("reject-$b.convert.json")
done
check "some reject files convert" test "${#rej[@]}" -ge 8
expect_each invalid draft2020 convert.schema.json "${rej[@]}"

# ---- SARIF ----
sarif_schema=$root/tests/fixtures/sarif-schema-2.1.0.json
check "the SARIF schema is the OASIS one" \
  test "$(jq -r '.id' "$sarif_schema")" = https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
# It is written for draft-04, which Ajv does not read: the same schema under
# draft-07's names ($schema, id -> $id); it uses no keyword whose meaning
# changed between the two (exclusiveMinimum/Maximum).
check "the SARIF schema has no exclusiveMinimum/Maximum" \
  sh -c '! grep -q exclusiveM "$1"' _ "$sarif_schema"
jq '."$schema" = "http://json-schema.org/draft-07/schema#" | ."$id" = .id | del(.id)' \
  "$sarif_schema" > sarif.schema.json

mkdir -p proj/sub "dir with space"
cp "$corpus/accept/upstream-basic.minimesosFile" proj/good.minimesosFile
cp "$corpus/reject/unknown-property.minimesosFile" proj/sub/bad.minimesosFile
cp "$corpus/reject/duplicate-zookeeper.minimesosFile" "dir with space/dup é.minimesosFile"
printf 'minimesos {\n    clusterName = "\xf0\x9f\x98\x80"; timeout = "x"\n}\n' > proj/emoji.minimesosFile
sarifs=()
cd proj
run "$mm" lint --format sarif good.minimesosFile; expect_status 0
printf '%s\n' "$out" > ../good.sarif.json; sarifs+=(good.sarif.json)
check "clean file: no result" test "$(jq '.runs[0].results | length' ../good.sarif.json)" = 0
run "$mm" lint --format sarif sub/bad.minimesosFile ./good.minimesosFile "../dir with space/dup é.minimesosFile" \
  "$tmp/proj/emoji.minimesosFile" - < sub/bad.minimesosFile
expect_status 1
printf '%s\n' "$out" > ../mixed.sarif.json; sarifs+=(mixed.sarif.json)
check "artifact URIs relative to the current folder" test \
  "$(jq -c '[.runs[0].artifacts[].location.uri]' ../mixed.sarif.json)" = \
  '["sub/bad.minimesosFile","good.minimesosFile","../dir%20with%20space/dup%20%C3%A9.minimesosFile","emoji.minimesosFile",null]'
check "URIs against %SRCROOT%, the current folder" test \
  "$(jq -r '.runs[0].originalUriBaseIds."%SRCROOT%".uri' ../mixed.sarif.json)" = "file://$(pwd | sed 's/ /%20/g')/"
check "every result's rule is a rule of the driver" \
  jqe '.runs[0] as $r | [$r.results[] | .ruleId == $r.tool.driver.rules[.ruleIndex].id] | all' ../mixed.sarif.json
check "rules carry their level" \
  jqe '[.runs[0].tool.driver.rules[] | select(.id == "W304") | .defaultConfiguration.level] == ["warning"]' ../mixed.sarif.json
check "a related location for the duplicate block" \
  jqe '[.runs[0].results[] | select(.ruleId == "E202") | .relatedLocations[0].physicalLocation.region.startLine] == [2]' ../mixed.sarif.json
# "😀" is 4 bytes, 2 UTF-16 units: `"x"` at bytes 37-40 is at 35-38
check "UTF-16 columns after an emoji" \
  jqe '[.runs[0].results[] | select(.locations[0].physicalLocation.artifactLocation.index == 3) | .locations[0].physicalLocation.region | [.startColumn, .endColumn]] == [[35, 38]]' ../mixed.sarif.json
# the same places as the JSON format, file by file
for f in sub/bad.minimesosFile good.minimesosFile; do
  a=$("$mm" lint --format json "$f" | jq -c '[.[] | [.code, .line, .column, .endLine, .endColumn]]')
  b=$("$mm" lint --format sarif "$f" | jq -c '[.runs[0].results[] | [.ruleId] + (.locations[0].physicalLocation.region | [.startLine, .startColumn, .endLine, .endColumn])]')
  check "sarif and json agree on $f" test "$a" = "$b"
done
cd ..
i=0
for f in "$corpus"/reject/*.minimesosFile "$corpus"/accept/*.minimesosFile; do
  i=$((i + 1))
  "$mm" lint --format sarif "$f" > "one$i.sarif.json" 2>/dev/null; sarifs+=("one$i.sarif.json")
done
"$mm" lint --format sarif "$corpus"/reject/*.minimesosFile > all-reject.sarif.json; sarifs+=(all-reject.sarif.json)
check "one result per diagnostic" test "$(jq '.runs[0].results | length' all-reject.sarif.json)" = \
  "$("$mm" lint --format json "$corpus"/reject/*.minimesosFile | jq length)"
"$mm" lint --format sarif no-such-file > missing.sarif.json; sarifs+=(missing.sarif.json)
check "an unreadable file is a result without a region" \
  jqe '.runs[0].results[0] | .ruleId == "E100" and (.locations[0].physicalLocation | has("region") | not)' missing.sarif.json
expect_each valid draft7 sarif.schema.json "${sarifs[@]}"
# the schema does refuse what is not SARIF
jq '.runs[0].results[0].level = "fatal"' mixed.sarif.json > notsarif-level.json
jq '.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0' mixed.sarif.json > notsarif-line.json
jq 'del(.runs[0].tool.driver.name)' mixed.sarif.json > notsarif-driver.json
jq '.version = "2.0.0"' mixed.sarif.json > notsarif-version.json
expect_each invalid draft7 sarif.schema.json notsarif-*.json

finish json-schema
