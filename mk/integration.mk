# The C examples, Check tests over a real (stand-in) cluster, and the Docker
# integration suite:
#   examples/cluster_test.c   starts a one-agent cluster through mm_up, checks
#                             the master's state, destroys it
#   examples/failover_test.c  adds an agent, stops it and starts it again,
#                             waiting each time for what the master reports
#   make example       build and run both, each in a temporary folder
#   make integration   (Makefile) runs tests/integration/run.sh, which runs the
#                      examples too: they are built first, next to $(BIN), with
#                      tests/integration/hold_cluster.c and
#                      tests/integration/fake_engine.c.

EXAMPLE_BIN := $(BUILD)/examples/cluster_test
FAILOVER_BIN := $(BUILD)/examples/failover_test

.PHONY: example

$(BUILD)/examples/%: examples/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CHECK_LIBS) $(LDLIBS)

example: $(EXAMPLE_BIN) $(FAILOVER_BIN)
	@set -e; for b in $(EXAMPLE_BIN) $(FAILOVER_BIN); do \
	  d=$$(mktemp -d) && cp examples/minimesosFile "$$d"/ && \
	  (cd "$$d" && "$(CURDIR)/$$b"); rc=$$?; rm -rf "$$d"; [ $$rc = 0 ] || exit $$rc; done

# A test program that starts a cluster through mm_up and waits to be killed
# (the reaper's tests in tests/integration/run.sh).
HOLD_BIN := $(BUILD)/tests/hold_cluster

$(HOLD_BIN): tests/integration/hold_cluster.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# A fake Docker engine on a unix socket or a TCP port, scripted to fail one
# call (tests/integration/faults_test.sh).
FAKE_ENGINE_BIN := $(BUILD)/tests/fake_engine

$(FAKE_ENGINE_BIN): tests/integration/fake_engine.c tests/unit/fake_engine.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

integration: $(EXAMPLE_BIN) $(FAILOVER_BIN) $(HOLD_BIN) $(FAKE_ENGINE_BIN)
