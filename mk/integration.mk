# The C example (examples/cluster_test.c: a Check test that starts a one-agent
# cluster through mm_up and destroys it) and the Docker integration suite.
#   make example       build and run the example in a temporary folder
#   make integration   (Makefile) runs tests/integration/run.sh, which runs the
#                      example too: it is built first, next to $(BIN), with
#                      tests/integration/hold_cluster.c.

EXAMPLE_BIN := $(BUILD)/examples/cluster_test

.PHONY: example

$(EXAMPLE_BIN): examples/cluster_test.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CHECK_LIBS) $(LDLIBS)

example: $(EXAMPLE_BIN)
	@d=$$(mktemp -d) && cp examples/minimesosFile "$$d"/ && cd "$$d" && \
	  "$(CURDIR)/$(EXAMPLE_BIN)"; rc=$$?; rm -rf "$$d"; exit $$rc

# A test program that starts a cluster through mm_up and waits to be killed
# (the reaper's tests in tests/integration/run.sh).
HOLD_BIN := $(BUILD)/tests/hold_cluster

$(HOLD_BIN): tests/integration/hold_cluster.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

integration: $(EXAMPLE_BIN) $(HOLD_BIN)
