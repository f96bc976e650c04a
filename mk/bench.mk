# Benchmarks of the configuration toolkit (bench/): `make bench-lang`, part of `make bench`.
#   lint on a corpus file: median wall time and peak RSS (goals: < 2 ms, < 4 MiB);
#   config --format json on 10,000 generated agents vs `jq -c .` over the same
#   model's JSON (goal: ratio <= 1), peak RSS vs the file size (goal: <= 8x).
# lint_inproc separates lint's own work from process start-up (dynamic loading).
# Needs hyperfine and GNU time (scripts/deps.sh bench); falls back to a shell loop.
.PHONY: bench-lang
bench: bench-lang

$(BUILD)/bench/lint_inproc: bench/lint_inproc.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

bench-lang: $(BIN) $(BUILD)/bench/lint_inproc
	@MINIMESOS=$(CURDIR)/$(BIN) LINT_INPROC=$(CURDIR)/$(BUILD)/bench/lint_inproc bash bench/lint.sh
	@MINIMESOS=$(CURDIR)/$(BIN) bash bench/config.sh
