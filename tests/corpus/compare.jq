# Semantic comparison of an expected model with ours (tests/corpus/run.sh).
# Called as: jq -n --slurpfile exp E --slurpfile act A -f compare.jq
# Prints one line per difference (a path and both values); nothing when equal.
#  - numbers compare by value (4 == 4.0: jq does this already);
#  - resource entries are sets (sorted by role, then value, before comparing);
#  - mesosResources is a set of its "; "-separated parts;
#  - keys our output has beyond the expected ones are fine.
def norm:
  if type == "object" then
    with_entries(
      if .key == "mesosResources" and (.value | type) == "string" then
        .value |= (split("; ") | sort)
      elif .key == "resources" and (.value | type) == "object" then
        .value |= map_values(if type == "array" then sort_by(.role, (.value | tostring)) else . end)
      else .value |= norm end)
  elif type == "array" then map(norm)
  else . end;

def diffs($a; $b; $path):
  if ($a | type) == "object" then
    if ($b | type) != "object" then "\($path): expected an object, got \($b | tojson)"
    else $a | keys_unsorted[] as $k |
      if ($b | has($k)) then diffs($a[$k]; $b[$k]; "\($path).\($k)")
      else "\($path).\($k): missing (expected \($a[$k] | tojson))" end
    end
  elif ($a | type) == "array" then
    if ($b | type) != "array" then "\($path): expected an array, got \($b | tojson)"
    elif ($a | length) != ($b | length) then
      "\($path): expected \($a | length) entries, got \($b | length): \($b | tojson)"
    else range(0; $a | length) as $i | diffs($a[$i]; $b[$i]; "\($path)[\($i)]") end
  elif $a == $b then empty
  else "\($path): expected \($a | tojson), got \($b | tojson)" end;

diffs($exp[0].model | norm; $act[0] | norm; "")
