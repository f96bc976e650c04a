# minimesos: a C toolkit and executor for local Mesos clusters.
#
#   make                 build build/minimesos and build/libminimesos.a
#   make check           install missing packages (as root), build, run every test
#                        (unit, corpus, CLI, sanitizers, Docker integration)
#   make check-sanitize  unit, corpus and CLI tests under ASan+UBSan (build/asan)
#   make fuzz            every libFuzzer target of tests/fuzz/ (mk/fuzz.mk)
#   make bench           benchmarks, printed as ratios against references
#   make demo            the main job end to end: engine, images, up, info, state, destroy
#   make install PREFIX=/usr/local [DESTDIR=...]   (mk/install.mk; make uninstall)
#
# Sources: grammar/*.l *.y (generated into $(BUILD)/gen); the library in
# src/<layer>/*.c, one folder a layer, each importing only from the layers
# below it (LAYERS, lowest first; tests/layering/check.sh checks it); src/cli/*.c
# (the program, one file a command); tests/unit/test_*.c (Check).
# Extra rules live in mk/*.mk, one file per area.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
SANITIZE ?=
PKGS     := libcurl libcjson

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl is not linked: src/curl_lazy.c loads it with dlopen on first use,
# so the offline commands start without mapping it and its dependencies.
PKG_LIBS   := $(shell pkg-config --libs libcjson 2>/dev/null) -ldl
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -pthread $(WARN) -Iinclude -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) $(DEFS)
LDLIBS  += $(PKG_LIBS) -pthread -lm

ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

GEN_C    := $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.c
GEN_H    := $(BUILD)/gen/lexer.h $(BUILD)/gen/parser.h
LAYERS   := base lang model emit plan net services engine lsp
LIB_SRC  := $(sort $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_C:%.c=%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libminimesos.a
BIN      := $(BUILD)/minimesos

.PHONY: all deps unit corpus cli-tests layering check-package check-standalone check-schema-row check check-sanitize check-valgrind integration \
        bench bench-deps demo install clean fuzz check-fuzz-short
.DEFAULT_GOAL := all

all: $(BIN) $(LIB)

# Everything make check needs, Docker tests included (as root it installs;
# otherwise it names what is missing).
deps:
	@scripts/deps.sh all

# ---- build tools: one clear line when they are missing ----
# (not "bison: No such file or directory" half-way through the build)
have = $(shell command -v $(1) >/dev/null 2>&1 && echo y)
have_pc = $(shell pkg-config --exists $(1) 2>/dev/null && echo y)
MISSING_PKGS := $(strip $(if $(call have,$(CC)),,gcc) $(if $(call have,flex),,flex) \
  $(if $(call have,bison),,bison) \
  $(if $(call have,pkg-config),$(if $(call have_pc,libcurl),,libcurl4-openssl-dev) \
    $(if $(call have_pc,libcjson),,libcjson-dev),pkg-config))

.PHONY: build-tools
build-tools:
ifneq ($(MISSING_PKGS),)
	@echo "minimesos: cannot build: missing Debian packages: $(MISSING_PKGS) (install them as root with scripts/deps.sh build)" >&2; exit 1
endif

# ---- generated scanner and parser (build outputs, never committed) ----
# Grouped targets (&:): one run of bison makes both files, also under -j.
$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h &: grammar/parser.y | build-tools
	@mkdir -p $(@D)
	bison -Wall -Werror --defines=$(BUILD)/gen/parser.h -o $(BUILD)/gen/parser.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h &: grammar/lexer.l $(BUILD)/gen/parser.h
	@mkdir -p $(@D)
	flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

# flex and bison output trips a few of our stricter warnings; keep -Werror for the rest.
# The headers too: both include ast.h and util.h (a changed struct mm_node
# must rebuild them, or the scanner and the library disagree on its layout).
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(GEN_H) $(wildcard include/minimesos/*.h src/*/*.h)
	$(CC) $(CFLAGS) -Wno-sign-compare -Wno-unused-function -Wno-missing-prototypes -Wno-shadow -c -o $@ $<

$(BUILD)/%.o: %.c $(GEN_H) $(wildcard include/minimesos/*.h src/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# ---- unit tests (Check): one binary per tests/unit/test_*.c ----
$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h tests/unit/fake_engine.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(CHECK_LIBS) $(LDLIBS)

# test_cli checks the program's usage texts: it links the commands (not main.o).
CLI_CMD_OBJ := $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))
$(BUILD)/tests/test_cli: tests/unit/test_cli.c $(CLI_CMD_OBJ) $(LIB) tests/unit/testutil.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_CMD_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS)

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; CK_DEFAULT_TIMEOUT=60 MM_SRCDIR=$(CURDIR) $$t; done
	@echo "== tests/net/curl_types.sh"; CC="$(CC)" CFLAGS="$(CFLAGS)" bash tests/net/curl_types.sh

# ---- corpus and command-line tests (shell, over the built program) ----
corpus: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash tests/corpus/run.sh
	@bash tests/corpus/sync.sh

cli-tests: $(BIN)
	@set -e; for t in $(sort $(wildcard tests/cli/*.sh)); do \
	  echo "== $$t"; MINIMESOS=$(CURDIR)/$(BIN) bash $$t; done

# src/ imports only downward (tests/layering/check.sh), and the check itself
# fails on what it forbids (selftest.sh).
layering: all
	@bash tests/layering/check.sh $(BUILD)
	@bash tests/layering/selftest.sh

check-sanitize:
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 CC=clang unit corpus cli-tests

# Install, pkg-config, man pages, completion (install.sh); the Debian
# packages built, linted and installed with dpkg (deb.sh, as root only).
check-package: all
	@BUILD=$(BUILD) bash tests/package/install.sh
	@bash tests/package/deb.sh

# A build with one more schema row shows it everywhere (tests/schema_row.sh).
check-schema-row: all
	@bash tests/schema_row.sh

# A clone in an empty folder, with nothing beside it, passes the offline tests.
check-standalone:
	@bash tests/standalone.sh

check-valgrind: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash tests/valgrind.sh

integration: $(BIN)
	@MINIMESOS=$(CURDIR)/$(BIN) bash tests/integration/run.sh

# Each suite's output also goes to $(BUILD)/check.log; the last line adds up
# every suite's counts ("check: N passed, M failed").
CHECK_LOG := $(BUILD)/check.log
# Each group's wall time goes to the log too ("check: took N s for ..."), so a
# slow suite shows where it is. The offline groups run in two lanes at once
# (scripts/check-lanes.sh: each is single-threaded at heart, the machine has
# two cores); the integration suites run alone after them, so that the
# engine's timings are their own.
RUN_LOGGED = bash -o pipefail -c 't0=$$(date +%s); $(MAKE) --no-print-directory $(1) 2>&1 | tee -a $(CHECK_LOG); rc=$$?; \
	echo "check: took $$(( $$(date +%s) - t0 )) s for $(1)" | tee -a $(CHECK_LOG); exit $$rc'
check: deps
	@$(MAKE) --no-print-directory all $(MAN5)
	@rm -f $(CHECK_LOG)
	@MAKE="$(MAKE)" scripts/check-lanes.sh $(CHECK_LOG) \
	  "layering unit corpus cli-tests check-docs check-header check-json-schema" check-sanitize -- \
	  "check-schema-row check-package check-standalone" check-fuzz-short check-valgrind
	@$(call RUN_LOGGED,integration)
	@scripts/check-summary.sh $(CHECK_LOG)

demo:
	@scripts/demo.sh

# mk/bench*.mk add the benchmarks themselves; their tools come first.
bench: bench-deps
bench-deps:
	@scripts/deps.sh bench

clean:
	rm -rf $(BUILD) build

-include $(sort $(wildcard mk/*.mk))
