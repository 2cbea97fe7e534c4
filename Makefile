# gokeepalived — a drop-in replacement for keepalived, in Go.
GO        ?= go
PREFIX    ?= /usr
DESTDIR   ?=
BIN       := bin/keepalived
PKGS      := ./...
FUZZTIME  ?= 30s
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/gokeepalived/gokeepalived/internal/version.Commit=$(VERSION)

.PHONY: all build test test-deps lint bench fuzz demo soak install clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/keepalived

# The one test command (README, .ci/run). Installs what the tests need first.
# -p 1: one package at a time. The network test packages create and delete
# namespaces by the dozen; run side by side on a 2-core machine, one
# package's namespace teardown holds the kernel's rtnl lock for seconds and
# stalls the other's daemons (seen: a VRRP child's address removal blocked
# past child_wait_time). The timing tests measure the daemons, not that.
test: test-deps build lint
	$(GO) test -count=1 -p 1 -timeout 15m $(PKGS)

test-deps:
	@bash scripts/test-deps.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

bench: test-deps build
	@bash scripts/bench.sh

# Each fuzz target for FUZZTIME (make fuzz FUZZTIME=10m).
fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

demo: build
	@bash scripts/demo.sh

# Reloads under traffic (not in make test): SOAK_ROUNDS=100 by default.
soak: build
	@bash scripts/soak.sh

# Honours DESTDIR/PREFIX; never run on a test machine without DESTDIR, it
# would replace Debian's /usr/sbin/keepalived.
# The example configuration goes in only where there is none.
install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/keepalived
	install -D -m 0644 keepalived.service $(DESTDIR)/lib/systemd/system/keepalived.service
	@if [ -e $(DESTDIR)/etc/keepalived/keepalived.conf ]; then \
	  echo "keeping the existing $(DESTDIR)/etc/keepalived/keepalived.conf"; \
	else \
	  install -D -m 0644 configs/keepalived.conf $(DESTDIR)/etc/keepalived/keepalived.conf; \
	fi

clean:
	rm -rf bin
