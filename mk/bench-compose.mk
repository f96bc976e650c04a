# `make bench-compose`: docker-compose up of `minimesos config --format compose`
# against `minimesos up`, to the same readiness, with 1 and 4 agents on the
# stand-ins (bench/compose.sh prints the medians and their ratio).
.PHONY: bench-compose
bench: bench-compose
bench-compose: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash bench/compose.sh
