# Fazhi: `make` builds build/fazhi; `make run` serves the site; `make test` tests it.

CC	?= cc
PKGS	 = fcgi lua5.4 libxml-2.0 sqlite3
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -llua5.4-cjson -lm

SRCS	 = $(filter-out fcgi/main.c,$(wildcard fcgi/*.c))
OBJS	 = $(SRCS:fcgi/%.c=build/obj/%.o)
UNITS	 = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))
PORT	?= 8080

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
	@PORT=$(PORT) scripts/run

test: setup-test
	@$(MAKE) --no-print-directory build/fazhi $(UNITS)
	@scripts/test

build/bench-render: tests/bench/render.c $(OBJS)
	$(CC) $(CFLAGS) -Ifcgi -o $@ $< $(OBJS) $(LDFLAGS) $(LDLIBS)

bench: setup-test
	@$(MAKE) --no-print-directory build/fazhi build/bench-render
	@scripts/bench

clean:
	rm -rf build

.PHONY: all setup setup-test run test bench clean
