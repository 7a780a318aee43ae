# Fazhi: `make` builds build/fazhi; `make run` serves the site; `make test` tests it.

CC	?= cc
PKGS	 = fcgi lua5.4 libxml-2.0 sqlite3 libsodium opencc libseccomp libxxhash msgpack
# Where `make install` puts things (DESTDIR= in front of each, for packaging).
# The program is built knowing DATADIR: it finds its Lua, schemas and static
# files there unless told otherwise (--lua, --templates).
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
DATADIR	?= $(PREFIX)/share/fazhi
MANDIR	?= $(PREFIX)/share/man
UNITDIR	?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
# The user's flags (CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS: `make CFLAGS=-O0` works)
# come after those the build needs (FAZHI_*). WERROR=1 (CI) turns warnings
# into errors.
CFLAGS	?= -O2 -g
# libvips: its headers only; fcgi/media.c opens the library when it needs it.
VIPS_CFLAGS := $(shell pkg-config --cflags vips 2>/dev/null)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FAZHI_CFLAGS = -std=c11 -Wall -Wextra -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith $(if $(WERROR),-Werror) \
	   $(PKG_CFLAGS) $(VIPS_CFLAGS)
# -MMD -MP: each object's header dependencies, in build/**/*.d.
FAZHI_CPPFLAGS = -D_GNU_SOURCE -MMD -MP
FAZHI_LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -llua5.4-cjson -lm

# `make clean && make SANITIZE=1 test` runs the whole suite under ASan and UBSan.
ifdef SANITIZE
SANITIZE_CFLAGS = -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
FAZHI_LDFLAGS = -fsanitize=address,undefined
endif
COMPILE	 = $(CC) $(FAZHI_CPPFLAGS) $(CPPFLAGS) $(FAZHI_CFLAGS) $(CFLAGS) $(SANITIZE_CFLAGS)
LINK	 = $(FAZHI_LDFLAGS) $(LDFLAGS)
LIBS	 = $(FAZHI_LDLIBS) $(LDLIBS)

SRCS	 = $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
OBJS	 = $(SRCS:fcgi/%.c=build/obj/%.o)
UNITS	 = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))
PORT	?= 8080
# The staff console (`fazhi console`), beside the public site in `make run`.
CONSOLE_PORT ?= 8082
# /metrics (Prometheus) on 127.0.0.1, apart from the public site (docs/metrics.md).
METRICS_PORT ?= 8083

all: build/fazhi

build/obj/%.o: fcgi/%.c
	@mkdir -p build/obj
	$(COMPILE) -c -o $@ $<

build/fazhi: build/obj/main.o $(OBJS)
	$(COMPILE) $(LINK) -o $@ $^ $(LIBS)

# The data folder the program is built with, rewritten only when it changes.
build/obj/datadir.o: build/obj/datadir.stamp
build/obj/datadir.o: FAZHI_CPPFLAGS += -DFAZHI_DATADIR='"$(DATADIR)"'
ifneq ($(DATADIR),$(shell cat build/obj/datadir.stamp 2>/dev/null))
build/obj/datadir.stamp: FORCE
endif
build/obj/datadir.stamp:
	@mkdir -p build/obj
	@echo '$(DATADIR)' >$@

build/tests/%: tests/unit/%.c $(OBJS)
	@mkdir -p build/tests
	$(COMPILE) $(LINK) -Ifcgi -o $@ $< $(OBJS) $(LIBS)

-include $(wildcard build/obj/*.d build/tests/*.d)

setup:
	@scripts/setup

setup-test:
	@scripts/setup --test

build/site.db: build/fazhi $(shell find content -type f 2>/dev/null)
	build/fazhi build --content content --output $@

run: setup
	@$(MAKE) --no-print-directory build/fazhi build/site.db
	@PORT=$(PORT) CONSOLE_PORT=$(CONSOLE_PORT) METRICS_PORT=$(METRICS_PORT) scripts/run

# Drafts and future items, with a banner, on their own port and socket: never
# through the public site.
PREVIEW_PORT ?= 8081
preview: setup
	@$(MAKE) --no-print-directory build/fazhi
	@build/fazhi build --content content --output build/preview.db
	@PORT=$(PREVIEW_PORT) RUN_DIR=$(CURDIR)/build/preview \
		SNAPSHOT=$(CURDIR)/build/preview.db PREVIEW=1 CACHE=off CONSOLE=off scripts/run

check: build/fazhi
	@build/fazhi check --content content

# What publish and withdraw need to reach the server `make run` started; BY=
# names who does it in the publishing log (default: the Unix user).
LIVE	 = --content content --snapshot build/site.db --pid build/run/fazhi.pid \
	   --url http://127.0.0.1:$(PORT)/healthz $(if $(BY),--by "$$BY")

# Check, build, swap in and have the running `make run` server load it.
publish: build/fazhi
	@build/fazhi publish $(LIVE)

# 撤稿: `make withdraw ID=2023-002 REASON="…"` takes one item off every output
# at once and records who, when and why.
withdraw: build/fazhi
	@build/fazhi withdraw $(LIVE) --reason "$$REASON" -- "$$ID"

# The publishing log: every publish and withdrawal, oldest first.
log: build/fazhi
	@build/fazhi log --snapshot build/site.db

test: setup-test
	@$(MAKE) --no-print-directory build/fazhi $(UNITS)
	@scripts/test

# Rewrites the golden files (tests/content/broken/*.expected) from what
# `fazhi check` prints, then shows the difference to review. Not part of
# `make test`, which refuses UPDATE_GOLDEN.
golden: build/fazhi
	@scripts/golden

# Breaks the modules that guard the public one at a time, on purpose, in copies
# under build/mutate/, and reports which tests caught each; every mutation must
# be caught. Not part of `make test` (minutes); run it before a release.
mutate: setup-test
	@$(MAKE) --no-print-directory build/fazhi $(UNITS)
	@scripts/mutate

build/bench-render: tests/bench/render.c $(OBJS)
	$(COMPILE) $(LINK) -Ifcgi -o $@ $< $(OBJS) $(LIBS)

# The bare FastCGI program: the same accept, write and close as fazhi (conn.c), nothing else.
build/bench-bare: tests/bench/bare.c build/obj/conn.o
	$(COMPILE) $(LINK) -Ifcgi -o $@ $< build/obj/conn.o $(LIBS)

build/bench-search: tests/bench/search.c $(OBJS)
	$(COMPILE) $(LINK) -Ifcgi -o $@ $< $(OBJS) $(LIBS)

bench: setup-test
	@$(MAKE) --no-print-directory build/fazhi build/bench-bare build/bench-render build/bench-search
	@scripts/bench
	@scripts/bench-build
	@scripts/bench-pages
	@scripts/bench-search
	@scripts/bench-console

# Search alone: a generated corpus (CORPUS=100000), in-process and through nginx.
bench-search: setup-test
	@$(MAKE) --no-print-directory build/fazhi build/bench-search
	@scripts/bench-search

# Coverage-guided fuzzing of the parsers that read untrusted input (libFuzzer,
# clang); FUZZ_SECONDS per harness. Not part of `make test`.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -g -O1 -std=c11 -D_GNU_SOURCE -Ifcgi \
	-fsanitize=fuzzer,address,undefined $(shell pkg-config --cflags $(PKGS)) $(VIPS_CFLAGS)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c fcgi/*.c fcgi/*.h
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $< $(filter-out fcgi/main.c,$(wildcard fcgi/*.c)) \
		$(FAZHI_LDLIBS)

fuzz:
	@scripts/setup --fuzz
	@$(MAKE) --no-print-directory build/fuzz/fuzz_http build/fuzz/fuzz_xml build/fuzz/fuzz_fts \
		build/fuzz/fuzz_credit build/fuzz/fuzz_form build/fuzz/fuzz_upload
	@for f in http xml fts credit form upload; do \
		mkdir -p build/fuzz/corpus-$$f; \
		echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			-artifact_prefix=build/fuzz/ build/fuzz/corpus-$$f \
			tests/fuzz/corpus/$$f 2>&1 | tail -n 3 || exit 1; \
	done

# Installs the program, what it reads (lua/, content/schema as schema/,
# content/static as static/), the shipped content as an example, the nginx
# example, the manual page and the systemd units; README "Install as a service".
INSTALL	?= install
install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DATADIR)/nginx
	$(INSTALL) -m 0755 build/fazhi $(DESTDIR)$(BINDIR)/fazhi
	@set -e; for f in $$(find lua -type f | sort); do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DATADIR)/$$f; done
	@set -e; cd content; for f in $$(find . -type f | sort); do case $$f in \
		./schema/*|./static/*) d=$${f#./} ;; *) d=content/$${f#./} ;; esac; \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DATADIR)/$$d; done
	$(INSTALL) -m 0644 nginx/production.conf.example nginx/security-headers.conf \
		nginx/fastcgi.conf $(DESTDIR)$(DATADIR)/nginx
	$(INSTALL) -m 0644 man/fazhi.1 $(DESTDIR)$(MANDIR)/man1/fazhi.1
	@set -e; for u in fazhi.service fazhi-console.service; do \
		sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' dist/$$u.in \
		    >$(DESTDIR)$(UNITDIR)/$$u; chmod 0644 $(DESTDIR)$(UNITDIR)/$$u; done
	$(INSTALL) -m 0644 dist/fazhi.sysusers $(DESTDIR)$(SYSUSERSDIR)/fazhi.conf

clean:
	rm -rf build

FORCE:

.PHONY: FORCE install all setup setup-test run preview check publish withdraw log test golden mutate bench bench-search fuzz clean
