# Fuzzing (libFuzzer, clang): tests/fuzz/README.md.
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="docker_pull marathon"]
#   make fuzz-regressions     replay every seed and saved reproducer once
#   make check-fuzz-short     each target for FUZZ_SHORT_SECONDS (5), part of
#                             `make check`: "fuzz: N passed, M failed"
# Builds the library with coverage instrumentation plus ASan+UBSan into
# build/fuzz/lib and one program per tests/fuzz/fuzz_NAME.c, each run over
# tests/fuzz/seeds/NAME and tests/fuzz/regressions/NAME. New inputs collect
# in build/fuzz/corpus/NAME; a crash or failed property leaves
# build/fuzz/crash-*: save it under tests/fuzz/regressions/NAME/ with a
# name that says what it was.
FUZZ_BUILD         ?= build/fuzz
FUZZ_SECONDS       ?= 60
FUZZ_SHORT_SECONDS ?= 5
FUZZ_ALL           := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS       ?= $(FUZZ_ALL)
FUZZ_FLAGS         := -O1 -g -fsanitize=fuzzer-no-link -fno-omit-frame-pointer
FUZZ_LIB           := $(FUZZ_BUILD)/lib/libminimesos.a
FUZZ_BINS          := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
# -max_len: the largest seed (a master's state with tasks) is under 4 KiB.
FUZZ_RUN_FLAGS     := -max_len=16384 -timeout=10 -rss_limit_mb=2048 -dict=$(CURDIR)/tests/fuzz/answers.dict

.PHONY: fuzz fuzz-build fuzz-regressions check-fuzz-short

fuzz-build:
	@CFLAGS="$(FUZZ_FLAGS)" $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD)/lib CC=clang SANITIZE=1 $(FUZZ_LIB)
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_LIB)
	clang -std=c11 -D_GNU_SOURCE -O1 -g $(WARN) -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Iinclude -Isrc $(PKG_CFLAGS) \
	    -o $@ $< $(FUZZ_LIB) $(PKG_LIBS) -lm -pthread

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz_$$t, $(FUZZ_SECONDS) s"; mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  (cd $(FUZZ_BUILD) && ./fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    $(FUZZ_RUN_FLAGS) corpus/$$t $(CURDIR)/tests/fuzz/seeds/$$t \
	    $$(test -d tests/fuzz/regressions/$$t && echo $(CURDIR)/tests/fuzz/regressions/$$t)); done

fuzz-regressions: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do echo "== fuzz_$$t: seeds and regressions"; \
	  $(FUZZ_BUILD)/fuzz_$$t -runs=0 tests/fuzz/seeds/$$t \
	    $$(test -d tests/fuzz/regressions/$$t && echo tests/fuzz/regressions/$$t); done

check-fuzz-short:
	@if ! command -v clang >/dev/null 2>&1; then \
	  echo "check-fuzz-short: clang is needed (scripts/deps.sh test)"; echo "fuzz: 0 passed, 1 failed"; exit 1; fi
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_BUILD=$(FUZZ_BUILD) SECONDS_EACH=$(FUZZ_SHORT_SECONDS) FUZZ_RUN_FLAGS="$(FUZZ_RUN_FLAGS)" \
	    bash tests/fuzz/short.sh $(FUZZ_TARGETS)

# The language server's message reader alone (tests/fuzz/fuzz_lsp.c).
.PHONY: fuzz-lsp
fuzz-lsp:
	@$(MAKE) --no-print-directory fuzz FUZZ_TARGETS=lsp

# The in-place re-parse against a full parse (tests/fuzz/fuzz_reparse.c)
# compares trees with tests/tree_eq.h, as tests/unit/test_reparse.c does.
$(FUZZ_BUILD)/fuzz_reparse: tests/tree_eq.h
$(BUILD)/tests/test_reparse: tests/tree_eq.h
