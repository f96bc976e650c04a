# Benchmark of the language server (bench/lsp.sh, bench/lsp_latency.c):
# `make bench-lsp`, part of `make bench`. Latency from a didChange to its
# publishDiagnostics on a typical file and on 10,000 agents, beside `lint`
# of the same file, and the server's peak RSS. Needs no Docker.
.PHONY: bench-lsp
bench: bench-lsp

$(BUILD)/bench/lsp_latency: bench/lsp_latency.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

bench-lsp: $(BIN) $(BUILD)/bench/lsp_latency
	@MINIMESOS=$(CURDIR)/$(BIN) LSP_LATENCY=$(CURDIR)/$(BUILD)/bench/lsp_latency bash bench/lsp.sh
