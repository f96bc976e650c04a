# Fuzzing (libFuzzer, clang): make fuzz [FUZZ_SECONDS=300] [FUZZ_JOBS=1]
# (the language toolkit), make fuzz-lsp [FUZZ_SECONDS=300] (the language
# server's message reader and the server behind it: tests/fuzz/fuzz_lsp.c
# over tests/fuzz/seeds-lsp, new inputs in build/fuzz/corpus-lsp,
# reproducers kept in tests/fuzz/regressions-lsp).
# Builds the library with coverage instrumentation plus ASan+UBSan into
# build/fuzz and runs tests/fuzz/fuzz_parse.c over tests/fuzz/seeds. New
# inputs collect in build/fuzz/corpus; crashes land in build/fuzz/ as
# crash-*; save reproducers under tests/fuzz/regressions/ (they become
# regression inputs: `make fuzz-regressions` replays them all).
FUZZ_BUILD   ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -O1 -g -fsanitize=fuzzer-no-link -fno-omit-frame-pointer
FUZZ_BIN     := $(FUZZ_BUILD)/fuzz_parse
FUZZ_LSP_BIN := $(FUZZ_BUILD)/fuzz_lsp

.PHONY: fuzz fuzz-build fuzz-regressions fuzz-lsp fuzz-lsp-build

fuzz-build:
	@CFLAGS="$(FUZZ_FLAGS)" $(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD)/lib CC=clang SANITIZE=1 \
	    $(FUZZ_BUILD)/lib/libminimesos.a
	clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Iinclude -Isrc $(PKG_CFLAGS) \
	    -o $(FUZZ_BIN) tests/fuzz/fuzz_parse.c $(FUZZ_BUILD)/lib/libminimesos.a $(PKG_LIBS) -lm -pthread

fuzz-lsp-build: fuzz-build
	clang -std=c11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Iinclude -Isrc $(PKG_CFLAGS) \
	    -o $(FUZZ_LSP_BIN) tests/fuzz/fuzz_lsp.c $(FUZZ_BUILD)/lib/libminimesos.a $(PKG_LIBS) -lm -pthread

fuzz-lsp: fuzz-lsp-build
	@mkdir -p $(FUZZ_BUILD)/corpus-lsp
	cd $(FUZZ_BUILD) && ./fuzz_lsp -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    corpus-lsp $(CURDIR)/tests/fuzz/seeds-lsp

fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus
	cd $(FUZZ_BUILD) && ./fuzz_parse -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    corpus $(CURDIR)/tests/fuzz/seeds

# Replays every saved reproducer and seed once (a quick regression check).
fuzz-regressions: fuzz-build fuzz-lsp-build
	$(FUZZ_BIN) -runs=0 $(wildcard tests/fuzz/regressions/*) $(wildcard tests/fuzz/seeds/*)
	$(FUZZ_LSP_BIN) -runs=0 $(wildcard tests/fuzz/regressions-lsp/*) $(wildcard tests/fuzz/seeds-lsp/*)
