# capmatch — GNU make. `make` builds build/capmatch; see README.md.
CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wvla
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  := -lglpk -lsqlite3 -lyaml -lm
BUILD   ?= build
ISO_DIR ?= /usr/share/iso-codes/json
VERSION := 0.1.0

DEB_PKGS := libglpk-dev glpk-utils libsqlite3-dev sqlite3 libyaml-dev iso-codes \
            python3 python3-yaml chromium clang libclang-rt-14-dev coinor-cbc time groff-base \
            libxml2-utils

LIB_SRC := $(wildcard models/*.c inputs/*.c engine/*.c engine/search/*.c outputs/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/iso_codes.o
# IATI code tables (iati format): generated from iso-codes and the IATI codelists
IATI_DIR ?= tests/iati
LIB_OBJ += $(BUILD)/obj/iati_codes.o
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cli/*.c))
UNIT_SRC := $(wildcard tests/unit_*.c)
UNIT_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
EXAMPLE_DB := inputs/example/catalogue.db

.PHONY: all deps run test bench asan valgrind clean example
all: deps-check $(BUILD)/capmatch example

# Installs missing Debian packages when root; otherwise says what to install.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else echo "missing Debian packages:$$missing — run: sudo apt-get install$$missing"; exit 1; fi; \
	fi

deps-check:
	@[ -f /usr/include/glpk.h ] && [ -f /usr/include/yaml.h ] && [ -f /usr/include/sqlite3.h ] \
	  && [ -d $(ISO_DIR) ] || $(MAKE) --no-print-directory deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCAPMATCH_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(BUILD)/iso_codes.c: models/gen_codes.sh
	@mkdir -p $(BUILD)
	sh models/gen_codes.sh $(ISO_DIR) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/iso_codes.o: $(BUILD)/iso_codes.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I. -c $< -o $@

$(BUILD)/iati_codes.c: models/gen_iati.sh $(IATI_DIR)/codelists/Country.xml $(IATI_DIR)/codelists/Sector.xml
	@mkdir -p $(BUILD)
	sh models/gen_iati.sh $(ISO_DIR) $(IATI_DIR)/codelists > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/iati_codes.o: $(BUILD)/iati_codes.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I. -c $< -o $@

$(BUILD)/libcapmatch.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/capmatch: $(CLI_OBJ) $(BUILD)/libcapmatch.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcapmatch.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/check.h $(BUILD)/libcapmatch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcapmatch.a $(LDLIBS)

example: $(EXAMPLE_DB)
$(EXAMPLE_DB): inputs/schema.sql inputs/example/catalogue.sql
	rm -f $@.tmp && cat $^ | sqlite3 $@.tmp && mv $@.tmp $@

run: all
	$(BUILD)/capmatch run inputs/example/scenario.yaml

test: deps all $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

# Under ASan (3-10x slower) the property test of tests/t_solver_recovery.sh
# runs 200 scenarios instead of 1,000 (the plain suite runs all of them),
# and tests/t_time_memory.sh skips its wall-clock bound.
asan:
	PROPERTY_RUNS=200 CAPMATCH_SANITIZED=1 $(MAKE) BUILD=build/asan CC=clang OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

valgrind: all $(UNIT_BIN)
	@BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh

bench: all
	@sh bench/bench.sh $(BUILD) $(BENCH_MODE)

clean:
	rm -rf build $(EXAMPLE_DB)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

PREFIX  ?= /usr/local
DESTDIR ?=
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/capmatch/example
	install -m 755 $(BUILD)/capmatch $(DESTDIR)$(PREFIX)/bin/capmatch
	install -m 644 docs/capmatch.1 $(DESTDIR)$(PREFIX)/share/man/man1/capmatch.1
	install -m 644 inputs/example/*.yaml inputs/example/catalogue.sql $(EXAMPLE_DB) inputs/schema.sql \
	  $(DESTDIR)$(PREFIX)/share/capmatch/example/
	install -m 644 models/capmatch.mod $(DESTDIR)$(PREFIX)/share/capmatch/
.PHONY: install

# libFuzzer targets (clang): `make fuzz FUZZ_SECONDS=N` runs each for N s on
# the seed corpus plus every recorded crasher (tests/fuzz/regress/).
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
FUZZ_TARGETS := $(FUZZ_BUILD)/fuzz_yaml $(FUZZ_BUILD)/fuzz_sqlite
fuzz: $(FUZZ_TARGETS) example
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)
fuzz-lib:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" lib
lib: $(BUILD)/libcapmatch.a
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_load.h fuzz-lib
	clang $(CSTD) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libcapmatch.a $(LDLIBS)
.PHONY: fuzz fuzz-lib lib
