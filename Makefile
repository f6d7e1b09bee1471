# git-govern: `make demo` walks the flow, `make test` runs the tests, `make install` puts it on PATH,
# `make deb` builds a Debian package.
PREFIX ?= /usr/local
SWIFT ?= swift
CONFIG ?= debug
BIN = .build/$(CONFIG)/git-govern

.PHONY: all build release deps test-deps test demo install uninstall format clean fuzz bench man embed deb

all: build

# libgit2 comes from the system (Debian: libgit2-dev); install it when pkg-config cannot find it.
deps:
	@pkg-config --exists libgit2 || { \
	  echo "libgit2 not found: installing libgit2-dev"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libgit2-dev pkg-config; }
	@command -v ssh-keygen >/dev/null && command -v curl >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openssh-client curl; }

build: deps
	$(SWIFT) build -c $(CONFIG)

# Release builds link the Swift runtime and Foundation statically: the installed hook then
# needs no Swift toolchain on the server, and starts ~10 ms sooner (no dynamic relocation).
RELEASE_FLAGS = -c release --static-swift-stdlib

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

# What the tests start or open besides git: real servers on 127.0.0.1 (sshd, gitolite, Apache with
# git http-backend), man to open the generated pages, headless Chromium for the HTML report.
# Said before anything is installed, and installed only when missing.
TEST_PACKAGES = openssh-server gitolite3 apache2 apache2-utils man-db groff-base chromium
test-deps: deps
	@missing=""; \
	for pkg in $(TEST_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make test: installing$$missing with apt-get (the real-server, man page and browser tests need them)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	fi

test: test-deps
	$(SWIFT) build --build-tests
	GIT_GOVERN_BIN=$(CURDIR)/.build/debug/git-govern $(SWIFT) test --skip-build

demo: build
	$(BIN) demo $(if $(DIR),--dir $(DIR))

# The man pages, written by the binary from the definitions `-h` prints: `man -l` any of them,
# or MANPATH=.build/man man git-govern-approve.
man: build
	rm -rf .build/man/man1
	$(BIN) _manual .build/man/man1

# Where git looks for `git govern --help` (man git-govern) and where bash-completion, zsh and fish
# look for completions. git's bash completion loads completions/git-govern for `git govern <TAB>`.
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

# The binary carries templates/ and hooks/ (compiled in: see `embed`), so it alone is enough; the
# files are installed beside it too, for reference (the server and CI recipes among them).
SHAREDIR = $(DESTDIR)$(PREFIX)/share/git-govern

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -s -m 755 .build/release/git-govern $(DESTDIR)$(PREFIX)/bin/git-govern
	for file in $$(find templates hooks -type f); do \
	  case $$file in hooks/*) mode=755 ;; *) mode=644 ;; esac; \
	  install -D -m $$mode $$file $(SHAREDIR)/$$file || exit 1; \
	done
	install -d $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	.build/release/git-govern _manual $(MANDIR)
	.build/release/git-govern completion bash > $(BASHDIR)/git-govern
	.build/release/git-govern completion zsh > $(ZSHDIR)/_git-govern
	.build/release/git-govern completion fish > $(FISHDIR)/git-govern.fish

# templates/ and hooks/ as Swift string literals (Sources/GovernCLI/Generated/EmbeddedShare.swift,
# committed): run after changing any of them; a test fails until you do.
embed:
	scripts/embed-share

# A Debian package of the static release build in .build/deb/ (packaging/build-deb): the binary,
# its man pages and completions, templates/ and hooks/ in /usr/share/git-govern; Depends: git,
# openssh-client and the libgit2 package it links. DEB_CONFIG=debug packages the debug build
# instead, which works only where its Swift toolchain is.
DEB_CONFIG ?= release
deb: $(if $(filter debug,$(DEB_CONFIG)),build,release)
	packaging/build-deb .build/$(DEB_CONFIG)/git-govern .build/deb

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/git-govern $(DESTDIR)$(PREFIX)/share/git-govern
	rm -f $(MANDIR)/git-govern.1 $(MANDIR)/git-govern-*.1 $(BASHDIR)/git-govern $(ZSHDIR)/_git-govern $(FISHDIR)/git-govern.fish

# libFuzzer targets for the SSHSIG, record, policy and hook-input parsers, FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
fuzz: deps
	fuzz/run.sh $(FUZZ_SECONDS)

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build

# Benchmark (bench/README.md): SIZE=full (100,000 commits, 10,000 releases, ~62,000 records in
# ~53,000 governance commits; minutes once built,
# audit stopped after 900 s; data generated once into bench/data/) or SIZE=small (CI, under a minute).
SIZE ?= full
BENCH_SEED ?= 42
BENCH_RUNS ?= 7
# The data's shape: real (one signed commit per record, receipts, sync merges, changes) or
# compact (issue 6's: 50 releases per commit); the compact shape's audit is also an extra row
# of a full real-shape run (BENCH_COMPACT=0 leaves it out).
BENCH_SHAPE ?= real
BENCH_COMPACT ?= $(if $(filter full,$(SIZE)),1,0)
BENCH_OUT = $(if $(filter full,$(SIZE)),bench/results.json,bench/results-$(SIZE).json)
bench: deps
	$(SWIFT) build $(RELEASE_FLAGS) --scratch-path .build-bench --product git-govern
	$(SWIFT) build $(RELEASE_FLAGS) --scratch-path .build-bench --product govern-bench
	.build-bench/release/govern-bench --size $(SIZE) --seed $(BENCH_SEED) --runs $(if $(filter full,$(SIZE)),$(BENCH_RUNS),3) \
	  --shape $(BENCH_SHAPE) --with-compact $(BENCH_COMPACT) $(if $(filter full,$(SIZE)),,--audit-runs 3) \
	  --git-govern .build-bench/release/git-govern --data bench/data --out $(BENCH_OUT)
	# The gate with 100 owner patterns over a 1,000-file change (issue 17's budget: 40 ms).
	GIT_GOVERN_BIN=$(CURDIR)/.build-bench/release/git-govern scripts/owners-check-timing.sh $(if $(filter full,$(SIZE)),20,3)
