# Installation, the way Debian expects it: `make install PREFIX=/usr
# DESTDIR=/tmp/root` puts the program, the static library, the headers, the
# pkg-config file, both man pages and the bash completion under DESTDIR/PREFIX;
# `make uninstall` (same variables) removes exactly those files.
#
# minimesosFile(5) is generated from the schema table (`minimesos help
# language --format man`), like docs/language.md, so neither can drift.

LIBDIR      ?= $(PREFIX)/lib
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION     := $(shell sed -n 's/^\#define MINIMESOS_VERSION "\(.*\)"/\1/p' include/minimesos/runtime.h)

MAN5 := $(BUILD)/man/minimesosFile.5

.PHONY: docs check-docs uninstall

$(MAN5): $(BIN)
	@mkdir -p $(@D)
	$(BIN) help language --format man >$@


# Files installed, relative to DESTDIR; uninstall removes this list.
INSTALLED := $(PREFIX)/bin/minimesos $(LIBDIR)/libminimesos.a \
  $(patsubst include/%,$(PREFIX)/include/%,$(wildcard include/minimesos/*.h)) \
  $(LIBDIR)/pkgconfig/minimesos.pc $(MANDIR)/man1/minimesos.1 $(MANDIR)/man5/minimesosFile.5 \
  $(BASHCOMPDIR)/minimesos

# minimesos.pc is written by the install itself: it holds PREFIX and LIBDIR,
# which change from one install to the next.
install: all $(MAN5)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include/minimesos \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/minimesos
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libminimesos.a
	install -m 644 include/minimesos/*.h $(DESTDIR)$(PREFIX)/include/minimesos/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	  pkgconfig/minimesos.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/minimesos.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/minimesos.pc
	install -m 644 docs/man/minimesos.1 $(DESTDIR)$(MANDIR)/man1/minimesos.1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/minimesosFile.5
	install -m 644 completion/minimesos.bash $(DESTDIR)$(BASHCOMPDIR)/minimesos

uninstall:
	rm -f $(addprefix $(DESTDIR),$(sort $(INSTALLED)))
	-rmdir $(DESTDIR)$(PREFIX)/include/minimesos 2>/dev/null

# docs/language.md is generated too, but committed so that it reads on the
# web; `make docs` rewrites it, `make check-docs` fails when it is stale.
docs: $(BIN)
	$(BIN) help language >docs/language.md

check-docs: $(BIN) $(MAN5)
	@bash tests/docs/check.sh $(BIN) $(MAN5)

# The public headers as a contract: a C++ program including all of them
# builds, links and runs; the library exports only mm_ names.
CXX ?= g++
.PHONY: check-header
$(BUILD)/tests/all_headers: tests/header/all_headers.cpp $(LIB) $(wildcard include/minimesos/*.h)
	@mkdir -p $(@D)
	$(CXX) -std=c++11 -Wall -Wextra -Werror -Iinclude $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)
check-header: $(BUILD)/tests/all_headers
	@$(BUILD)/tests/all_headers
	@bash tests/header/symbols.sh $(LIB)
