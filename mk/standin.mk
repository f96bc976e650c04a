# The test stand-ins (tests/standin/CONTRACT.md): one static program, standin,
# built with gcc -static (no NSS: it resolves names through /etc/hosts itself),
# and the local images made from it by tests/docker/images.sh.

STANDIN_SRC := $(sort $(wildcard tests/standin/*.c))
STANDIN_HDR := $(wildcard tests/standin/*.h)
STANDIN_BIN := $(BUILD)/standin/standin
STANDIN_CC  ?= gcc
STANDIN_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -pthread $(WARN)

.PHONY: standin standin-images standin-images-remove

standin: $(STANDIN_BIN)

$(STANDIN_BIN): $(STANDIN_SRC) $(STANDIN_HDR)
	@mkdir -p $(@D)
	$(STANDIN_CC) $(STANDIN_CFLAGS) -static -o $@ $(STANDIN_SRC) -pthread

standin-images: $(STANDIN_BIN)
	@STANDIN=$(CURDIR)/$(STANDIN_BIN) bash tests/docker/images.sh build

standin-images-remove:
	@bash tests/docker/images.sh remove
