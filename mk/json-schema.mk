# `make check-json-schema`: the JSON outputs against their schemas with a
# real validator (tests/schema/validate.sh): `config --format json` and
# `convert --to json` against `minimesos schema`, `lint --format sarif`
# against the OASIS SARIF 2.1.0 schema (tests/fixtures/). The validator,
# Ajv, comes from the npm registry into build/node (scripts/deps.sh node,
# run by the script when it is missing).
.PHONY: check-json-schema
check-json-schema: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash tests/schema/validate.sh
