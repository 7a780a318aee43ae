# Fazhi: `make` builds build/fazhi; `make run` serves the site; `make test` tests it.

CC	?= cc
PKGS	 = fcgi lua5.4 libxml-2.0 sqlite3 libsodium opencc libseccomp
CFLAGS	?= -O2 -g
# libvips: its headers only; fcgi/media.c opens the library when it needs it.
VIPS_CFLAGS = $(shell pkg-config --cflags vips 2>/dev/null)
CFLAGS	+= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(VIPS_CFLAGS)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -llua5.4-cjson -lm

# `make clean && make SANITIZE=1 test` runs the whole suite under ASan and UBSan.
ifdef SANITIZE
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
LDFLAGS	+= -fsanitize=address,undefined
endif

SRCS	 = $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
OBJS	 = $(SRCS:fcgi/%.c=build/obj/%.o)
UNITS	 = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))
PORT	?= 8080
# The staff console (`fazhi console`), beside the public site in `make run`.
CONSOLE_PORT ?= 8082

all: build/fazhi

build/obj/%.o: fcgi/%.c fcgi/*.h
	@mkdir -p build/obj
	$(CC) $(CFLAGS) -c -o $@ $<

build/fazhi: build/obj/main.o $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

build/obj/main.o: fcgi/main.c fcgi/*.h
	@mkdir -p build/obj
	$(CC) $(CFLAGS) -c -o $@ $<

build/tests/%: tests/unit/%.c tests/unit/unit.h $(OBJS)
	@mkdir -p build/tests
	$(CC) $(CFLAGS) -Ifcgi -o $@ $< $(OBJS) $(LDFLAGS) $(LDLIBS)

setup:
	@scripts/setup

setup-test:
	@scripts/setup --test

build/site.db: build/fazhi $(shell find content -type f 2>/dev/null)
	build/fazhi build --content content --output $@

run: setup
	@$(MAKE) --no-print-directory build/fazhi build/site.db
	@PORT=$(PORT) CONSOLE_PORT=$(CONSOLE_PORT) scripts/run

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
	$(CC) $(CFLAGS) -Ifcgi -o $@ $< $(OBJS) $(LDFLAGS) $(LDLIBS)

# The bare FastCGI program: the same early close as fazhi (finish.c), nothing else.
build/bench-bare: tests/bench/bare.c build/obj/finish.o
	$(CC) $(CFLAGS) -Ifcgi -o $@ $< build/obj/finish.o $(LDFLAGS) $(LDLIBS)

build/bench-search: tests/bench/search.c $(OBJS)
	$(CC) $(CFLAGS) -Ifcgi -o $@ $< $(OBJS) $(LDFLAGS) $(LDLIBS)

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
		$(LDLIBS)

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

clean:
	rm -rf build

.PHONY: all setup setup-test run preview check publish withdraw log test golden mutate bench bench-search fuzz clean
