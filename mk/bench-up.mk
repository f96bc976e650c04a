# `make bench-up`: time to a ready cluster and to destroy it with 1, 4 and 16
# agents on the stand-ins, against docker-compose and a `docker run` loop
# running the same containers (bench/up.sh prints the ratios).
.PHONY: bench-up
bench: bench-up
bench-up: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash bench/up.sh
