# trackertui — every target installs what it needs on Debian 12 (as root) and then does its job.
SWIFT ?= swift
# Arguments for `make run`, e.g. make run ARGS="--http 127.0.0.1:6969 --interval 900"
ARGS ?=

RUN_PACKAGES   = zlib1g-dev libhiredis-dev libncurses-dev pkg-config redis-server
TEST_PACKAGES  = $(RUN_PACKAGES) redis-tools python3-libtorrent mktorrent tmux prometheus chromium systemd python3-jsonschema
BENCH_PACKAGES = $(RUN_PACKAGES) wrk opentracker curl python3 util-linux iproute2 procps redis-tools tmux

# Seconds each fuzz target runs (make fuzz FUZZ_SECONDS=600), or FUZZ_RUNS=N inputs instead.
FUZZ_SECONDS ?= 60

.PHONY: run build release install test bench bench-memory fuzz sanitize clean

run: release
	./.build/release/trackertui $(ARGS)

build:
	@scripts/ensure-packages.sh $(RUN_PACKAGES)
	$(SWIFT) build

release:
	@scripts/ensure-packages.sh $(RUN_PACKAGES)
	$(SWIFT) build -c release --product trackertui

# The binary in $(PREFIX)/bin, the systemd unit (contrib/trackertui.service, its path filled in)
# in $(UNITDIR) and the example config as /etc/trackertui.toml, all under $(DESTDIR) when given.
PREFIX  ?= /usr/local
UNITDIR ?= /etc/systemd/system
install: release
	install -D -m 0755 .build/release/trackertui $(DESTDIR)$(PREFIX)/bin/trackertui
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@BINDIR@|$(PREFIX)/bin|' contrib/trackertui.service > $(DESTDIR)$(UNITDIR)/trackertui.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/trackertui.service
	# The example config (every line commented out), never over one already there.
	test -e $(DESTDIR)/etc/trackertui.toml || install -D -m 0644 trackertui.toml $(DESTDIR)/etc/trackertui.toml

test:
	@scripts/ensure-packages.sh $(TEST_PACKAGES)
	$(SWIFT) build --build-tests
	timeout 1500 $(SWIFT) test
	# What `make run` builds: the optimizer has crashed on code the debug build took.
	$(SWIFT) build -c release --product trackertui
	scripts/check-install.sh

bench:
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	$(SWIFT) build -c release --product trackertui
	bench/run.sh

bench-memory:
	@scripts/ensure-packages.sh $(RUN_PACKAGES)
	$(SWIFT) build -c release --product trackertui
	bench/memory.sh

fuzz:
	@scripts/ensure-packages.sh $(RUN_PACKAGES)
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

# The test suite under AddressSanitizer, then ThreadSanitizer (each in its own build folder).
sanitize:
	@scripts/ensure-packages.sh $(TEST_PACKAGES)
	TRACKERTUI_SANITIZER=address LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp \
	  timeout 3000 $(SWIFT) test --sanitize=address --scratch-path .build-asan
	TRACKERTUI_SANITIZER=thread TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  timeout 3000 $(SWIFT) test --sanitize=thread --scratch-path .build-tsan

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan
