# `make bench-swarm`: time to a ready cluster with 1, 4 and 16 agents for
# `minimesos up`, `up --swarm` (single-node swarm on the test engine, under
# /tmp/minimesos-swarm.lock) and `docker stack deploy` of the exported
# stack file (`config --format stack`), with the ratios to
# the plain up (bench/swarm.sh).
.PHONY: bench-swarm
bench: bench-swarm
bench-swarm: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash bench/swarm.sh
