# `make bench-agent-add`, part of `make bench`: `agent add --count K` to
# ready on a running cluster beside a fresh `up` of K agents, K = 1 and 8
# (bench/agent_add.sh).
.PHONY: bench-agent-add
bench: bench-agent-add
bench-agent-add: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash bench/agent_add.sh
